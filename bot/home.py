"""The App Home tab: your open questions, questions waiting for your expertise, the newest
practices, the next roundtable, and for moderators every open question. `gather_home` reads them,
`home_parts` (pure) arranges them once, and each platform renders within its limits (Slack: 100 blocks)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot import messages as m
from bot.dates import local_day
from bot.exchange_requests import home_parts as asking_parts
from bot.exchange_requests import pending_requests
from bot.practices.origins import home_scope
from bot.questions.blocks import ASK, MARK_ANSWERED, permalink, quote
from bot.render import slack
from bot.roundtables.blocks import starts
from bot.roundtables.meetings import upcoming
from bot.services import Services
from storage import questions as store
from storage.practices import Practice, list_practices
from storage.questions import PENDING, Question
from storage.roundtables import Roundtable

MY_QUESTIONS = 8
EXPERT_QUESTIONS = 8
PRACTICES = 5
MODERATOR_QUESTIONS = 10


@dataclass(frozen=True)
class HomeContext:
    team_id: str
    user_id: str
    now: datetime
    is_moderator: bool = False
    workspace_url: str = ""
    exchange_requests: tuple[m.Part, ...] = ()  # the host's moderators: workspaces asking to join
    teams: frozenset[str] = frozenset()  # the exchange scope (bot.exchange.exchange_scope): its practices too
    origin: Callable[[str], str] = lambda team_id: ""  # another workspace's name (bot.practices.origins)
    platform: str = "slack"  # where Home is read ("teams": the `home` card), for its hints (HINTS)


@dataclass(frozen=True)
class HomeData:
    """What the Home tab shows, gathered by `gather_home`; `home_parts` only arranges it."""

    mine: list[Question]
    wanted: list[Question]
    practices: list[Practice]
    roundtable: tuple[Roundtable, datetime] | None
    every_open: list[Question] = field(default_factory=list)  # moderators only


def gather_home(session: Session, context: HomeContext) -> HomeData:
    team, user = context.team_id, context.user_id
    found = upcoming(session, team, context.now)
    return HomeData(
        mine=store.questions_of(session, team, user, MY_QUESTIONS),
        wanted=store.questions_for_expert(session, team, user, EXPERT_QUESTIONS),
        practices=list_practices(session, team, limit=PRACTICES, teams=context.teams),
        roundtable=found[0] if found else None,
        every_open=store.unresolved_questions(session, team, MODERATOR_QUESTIONS) if context.is_moderator else [],
    )


def next_roundtable(found: tuple[Roundtable, datetime] | None) -> list[m.Part]:
    if found is None:
        return [m.Paragraph(m.line("None scheduled. Moderators schedule one with ", m.code("/roundtable schedule"), "."))]
    roundtable, start = found
    return [m.Paragraph(m.line(m.bold(roundtable.title, cut=150), "\n", starts(start), " in ", m.ChannelRef(roundtable.channel_id)))]


def _date(moment: datetime) -> m.LocalTime:
    return local_day(moment)


def question_line(question: Question, workspace_url: str, *, show_asker: bool = False) -> m.Inline:
    link = permalink(workspace_url, question.channel_id, question.ts)
    title: m.Segment = m.Link(link, quote(question.text)) if link else quote(question.text)
    state = "has a reply to confirm" if question.status == PENDING else "waiting for a reply"
    asker = (m.Mention(question.user_id), " · ") if show_asker else ()
    return m.line(title, "\n", *asker, m.ChannelRef(question.channel_id), " · asked ", _date(question.asked_at), f" · {state}")


def _asked(question: Question, url: str, button: str = "", *, show_asker: bool = False) -> m.Paragraph:
    return m.Paragraph(question_line(question, url, show_asker=show_asker),
                     m.Button(button, MARK_ANSWERED, str(question.id)) if button else None)


def practice_line(practice: Practice, workspace_url: str, origin: str = "") -> m.Inline:
    """`origin`: another workspace's practice names its workspace (its link and sharer are that one's)."""
    title = m.Text(practice.title, cut=150)
    link = permalink(workspace_url, practice.channel_id, practice.message_ts) if (
        practice.message_ts and not origin) else ""
    shown = m.Styled("bold", (m.Link(link, title),)) if link else m.bold(practice.title, cut=150)  # no URL: no link
    city = (" (", m.Text(practice.city), ")") if practice.city else ()
    if origin:
        return m.line(shown, *city, ", shared in ", m.Text(origin, cut=80), " (", m.code(f"/practice show {practice.id}"), ")")
    return m.line(shown, *city, ", shared by ", m.Mention(practice.user_id))


# the words beside the bot's :eyes: reaction (bot/questions/posts.py), where the asker reads them
TRACKED = m.line("When Roundtable has nothing related to suggest, it adds :eyes: (eyes) to your question: "
                 "it is tracked, listed here, and experts are reminded of it.")
# what Home tells a member who has nothing there yet, per platform: Slack's is a tab beside the
# channels; Teams' is a card in a chat, where commands work too, and a Teams bot cannot react
HINTS: dict[str, tuple[m.Inline, m.Inline, m.Inline]] = {
    "slack": (TRACKED,
              m.line("None right now. Ask in a channel Roundtable is in (end with a ", m.code("?"), ") or type ",
                     ASK, " there (commands are typed in a channel, not in this tab)."),
              m.line("Nothing shared yet. Share what worked in your city: type ", m.code("/practice"), " in a channel.")),
    "teams": (m.line("Roundtable tracks each question you ask: it is listed here until it is answered, and experts "
                     "are reminded of it."),
              m.line("None right now. Type ", ASK, " here, in a group chat, or in a channel where you @mention "
                     "Roundtable (a question ending with ", m.code("?"), " typed to Roundtable counts too)."),
              m.line("Nothing shared yet. Share what worked in your city: type ", m.code("/practice"),
                     " here or in a channel.")),
}


def _or(found: list[m.Part], empty: m.Inline) -> list[m.Part]:
    return found or [m.Paragraph(empty)]


def home_parts(data: HomeData, context: HomeContext) -> tuple[m.Part, ...]:
    url = context.workspace_url
    tracked, no_questions, no_practices = HINTS[context.platform]
    parts: list[m.Part] = [m.Heading("Roundtable"), *context.exchange_requests, m.Heading("Your open questions"),
                           m.Context((tracked,))]
    parts += _or([_asked(q, url, "Mark answered") for q in data.mine], no_questions)
    parts.append(m.Heading("Waiting for your expertise"))
    parts += _or([_asked(q, url, show_asker=True) for q in data.wanted],
                 m.line("No questions are waiting for your expertise right now."))
    parts.append(m.Heading("Newest practices"))
    parts += _or([m.Paragraph(practice_line(p, url, context.origin(p.team_id) if p.team_id != context.team_id else ""))
                  for p in data.practices], no_practices)
    parts.append(m.Heading("Next roundtable"))
    parts += next_roundtable(data.roundtable)
    if context.is_moderator:
        parts.append(m.Heading("Open questions (moderator)"))
        parts += _or([_asked(q, url, "Close this question", show_asker=True) for q in data.every_open],
                     m.line("Every question has been answered."))
    return tuple(parts)


def compose_home(session: Session, context: HomeContext) -> tuple[m.Part, ...]:
    return home_parts(gather_home(session, context), context)


def build_home(session: Session, context: HomeContext) -> dict[str, Any]:
    return slack.home_view(compose_home(session, context))


def home_for(services: Services, team_id: str, user_id: str, workspace_url: str = "", platform: str = "slack"
             ) -> tuple[m.Part, ...]:
    """What the member's Home shows (Slack's tab, Teams' `home` card, `platform` "teams"): moderators
    also see the workspaces asking to join the exchange."""
    moderator = services.is_moderator(team_id, user_id)
    asking = asking_parts(pending_requests(services, team_id)) if moderator and services.installs else ()
    with services.db.read() as session:  # only reads (another workspace's name comes from the installation store)
        return compose_home(session, HomeContext(team_id, user_id, services.clock(), moderator, workspace_url, asking,
                                                 **home_scope(session, services), platform=platform))
