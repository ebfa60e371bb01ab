"""The App Home tab: your open questions, questions waiting for your expertise, the newest
practices, the next roundtable, and for moderators every open question. At most 100 blocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.dates import slack_day
from bot.questions.blocks import MARK_ANSWERED, mention, permalink, quote
from bot.roundtables.blocks import when
from bot.roundtables.meetings import upcoming
from bot.text import escape, fit, truncate
from storage import questions as store
from storage.practices import Practice, list_practices
from storage.questions import PENDING, Question

MAX_HOME_BLOCKS = 100  # Slack's limit for a Home tab (shared/reference/slack-platform.md)
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


def next_roundtable(session: Session, context: HomeContext) -> list[dict]:
    found = upcoming(session, context.team_id, context.now)
    if not found:
        return [_section("None scheduled. Moderators schedule one with `/roundtable schedule`.")]
    roundtable, start = found[0]
    return [_section(f"*{fit(roundtable.title, 150)}*\n{when(start)} in <#{roundtable.channel_id}>")]


def _header(text: str) -> dict:
    return {"type": "header", "text": {"type": "plain_text", "text": truncate(text, 150)}}


def _section(text: str, accessory: dict | None = None) -> dict:
    block: dict = {"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, 3000)}}
    if accessory:
        block["accessory"] = accessory
    return block


def _date(moment: datetime) -> str:
    return slack_day(moment)


def question_line(question: Question, workspace_url: str, *, show_asker: bool = False) -> str:
    link = permalink(workspace_url, question.channel_id, question.ts)
    title = quote(question.text)
    title = f"<{link}|{title}>" if link else title
    state = "has a reply to confirm" if question.status == PENDING else "waiting for a reply"
    asker = f"{mention(question.user_id)} · " if show_asker else ""
    return f"{title}\n{asker}<#{question.channel_id}> · asked {_date(question.asked_at)} · {state}"


def _button(text: str, question: Question) -> dict:
    return {"type": "button", "text": {"type": "plain_text", "text": text}, "action_id": MARK_ANSWERED,
            "value": str(question.id)}


def practice_line(practice: Practice, workspace_url: str) -> str:
    title = fit(practice.title, 150)
    link = permalink(workspace_url, practice.channel_id, practice.message_ts) if practice.message_ts else ""
    if link:  # without the workspace's URL there is no link, only the title
        title = f"<{link}|{title}>"
    city = f" ({escape(practice.city)})" if practice.city else ""
    return f"*{title}*{city}, shared by {mention(practice.user_id)}"


def build_home(session: Session, context: HomeContext) -> dict:
    team, user, url = context.team_id, context.user_id, context.workspace_url
    blocks: list[dict] = [_header("Roundtable")]

    blocks.append(_header("Your open questions"))
    mine = store.questions_of(session, team, user, MY_QUESTIONS)
    blocks += [_section(question_line(q, url), _button("Mark answered", q)) for q in mine] or [
        _section("None right now. Ask in the channel (end with a `?`) or use `/ask`.")]

    blocks.append(_header("Waiting for your expertise"))
    wanted = store.questions_for_expert(session, team, user, EXPERT_QUESTIONS)
    blocks += [_section(question_line(q, url, show_asker=True)) for q in wanted] or [
        _section("No questions are waiting for your expertise right now.")]

    blocks.append(_header("Newest practices"))
    practices = list_practices(session, team, limit=PRACTICES)
    blocks += [_section(practice_line(p, url)) for p in practices] or [
        _section("Nothing shared yet. Share what worked in your city with `/practice`.")]

    blocks.append(_header("Next roundtable"))
    blocks += next_roundtable(session, context)

    if context.is_moderator:
        blocks.append(_header("Open questions (moderator)"))
        every = store.unresolved_questions(session, team, MODERATOR_QUESTIONS)
        blocks += [_section(question_line(q, url, show_asker=True), _button("Close", q)) for q in every] or [
            _section("Every question has been answered.")]
    return {"type": "home", "blocks": blocks[:MAX_HOME_BLOCKS]}
