"""Teams bot commands, typed in a personal chat, a group chat, or a channel with an @mention: the same
words and one-line forms as Slack's slash commands, answered by the same rules (bot/...).

`answer` returns what the bot says in the conversation (a Message, a line or words); None when the
text is not a command (nothing is said). Forms are dialogs: a command that opens one in Slack
answers with a button that opens it (a card cannot open a dialog unasked in Teams).
"""

from __future__ import annotations

from bot import messages as m
from bot.digests import commands as digest_commands
from bot.home import home_for
from bot.practices import blocks, commands, oneline
from bot.practices.help import HELP
from bot.questions.asking import refusal as ask_refusal
from bot.roundtables import commands as roundtable_commands
from bot.roundtables import saving
from bot.roundtables.modal import roundtable_id_of
from bot.roundtables.plans import example_day
from bot.roundup import commands as roundup_commands
from bot.services import Services
from bot.teams import wording
from bot.text import split_subcommand
from handlers.teams import digests
from handlers.teams.replies import (
    PROFILE,
    ROUNDTABLE_EDIT,
    ROUNDUP_SETTINGS,
    SCHEDULE,
    SHARE,
    Card,
    Said,
    Turn,
    opens,
)

DIGEST_USAGE = ("Usage: `/digest list` shows the latest saved digests; `/digest search <words>` finds digests; "
                "`/digest save`, typed as a reply in a channel thread, saves a digest of the thread.")
HOME_HINT = "Type `practice`, `ask`, `roundtable`, `roundup`, `digest` or `profile`; `practice help` for more."


def form_button(label: str, kind: str, value: str = "") -> m.Message:
    return m.Message(m.line(label), (opens(label, kind, value),))


def practice(services: Services, turn: Turn, rest: str) -> Said | Card:
    subcommand, words = split_subcommand(rest)
    team, user = turn.team_id, turn.user_id
    if not rest:
        return form_button("Share a practice", SHARE, turn.conversation_id)
    if subcommand == "help":
        return HELP
    if subcommand == "search":
        return oneline.search_answer(services, team, words, turn.conversation_id)
    if subcommand in ("list", "mine"):
        return commands.listing(services, team, user, words, mine=subcommand == "mine")
    if subcommand == "show":
        return commands.show(services, team, user, words)
    if subcommand == "edit":
        practice_id, refusal = commands.changeable(services, team, user, words, "edit")
        return form_button(f"Edit practice #{practice_id}", blocks.EDIT, str(practice_id)) if practice_id else refusal
    if subcommand == "delete":
        return commands.delete(services, team, user, words)
    return share_line(services, turn, rest)


def share_line(services: Services, turn: Turn, text: str, *, as_typed: bool = False) -> Said | Card:
    """A one-line share (`as_typed`: a slip's *Share it as a practice anyway*, never taken for a
    mistyped command again): the practice's card, or why nothing was shared."""
    outcome = oneline.quick_share(services, turn.team_id, turn.user_id, text, as_typed=as_typed)
    if not isinstance(outcome, tuple):
        return outcome
    shared, profile = outcome
    sharer = blocks.Sharer(name=turn.user_name, role=profile.role if profile else "",
                           city=profile.city if profile else "", user_id=turn.user_id)
    return Card(shared.id, blocks.build_card(shared, sharer, []))


def roundtable(services: Services, turn: Turn, rest: str) -> Said:
    subcommand, words = split_subcommand(rest)
    if subcommand == "list":
        return roundtable_commands.upcoming(services, turn.team_id, turn.conversation_id)
    if subcommand == "ics":
        return roundtable_commands.calendar_link(services, turn.team_id, words, turn.conversation_id)
    if subcommand not in ("schedule", "edit", "cancel"):
        return roundtable_commands.USAGE.format(day=example_day(services.clock()))
    if not services.is_moderator(turn.team_id, turn.user_id):
        return roundtable_commands.REFUSAL
    if subcommand == "cancel":
        return roundtable_commands.cancel(services, turn.team_id, words).reply
    if subcommand == "edit":
        form = saving.edit_form(services, turn.team_id, words)
        if isinstance(form, str):
            return form
        return form_button(f"{form.title} #{roundtable_id_of(form.state)}", ROUNDTABLE_EDIT, words)
    if not words:
        return form_button("Schedule a roundtable", SCHEDULE, turn.conversation_id)
    return roundtable_commands.schedule_check(services, words, services.settings.timezone, turn.conversation_id)


def roundup(services: Services, turn: Turn, rest: str) -> Said:
    subcommand = split_subcommand(rest)[0]
    if subcommand in ("", "preview"):
        return roundup_commands.preview(services, turn.team_id)
    if subcommand == "last":
        return roundup_commands.last(services, turn.team_id)
    if subcommand == "now":
        return roundup_commands.now(services, turn.team_id, turn.user_id)
    if subcommand == "settings":
        form = roundup_commands.settings(services, turn.team_id, turn.user_id)
        return form if isinstance(form, tuple) else form_button(form.title, ROUNDUP_SETTINGS)
    return roundup_commands.USAGE


def digest(services: Services, turn: Turn, rest: str) -> Said:
    subcommand, words = split_subcommand(rest)
    if subcommand in ("", "list"):
        return digest_commands.listing(services, turn.team_id, turn.conversation_id,
                                       digest_commands.NONE_SAVED_TEAMS)
    if subcommand == "search" and words:
        return digest_commands.search(services, turn.team_id, words, turn.conversation_id)
    if subcommand == "save":
        return digests.save_button(services, turn)
    return DIGEST_USAGE


def home(services: Services, turn: Turn, rest: str) -> Said:
    """What Slack's App Home shows, as a card in the chat."""
    parts = home_for(services, turn.team_id, turn.user_id, platform="teams")
    return m.Message(m.line("Roundtable home"), (*parts, m.Context((wording.inline(HOME_HINT),))))


def answer(services: Services, turn: Turn, text: str) -> Said | Card | None:
    """What the bot says back to `text` typed by `turn`'s member; None when it is no command."""
    word, rest = split_subcommand(text)
    if word == "practice":
        return practice(services, turn, rest)
    if word == "roundtable":
        return roundtable(services, turn, rest)
    if word == "roundup":
        return roundup(services, turn, rest)
    if word == "digest":
        return digest(services, turn, rest)
    if word == "profile":
        return form_button("Edit your profile", PROFILE, turn.conversation_id)
    if word == "home":
        return home(services, turn, rest)
    if word == "ask":
        return ask_refusal(rest)  # None: a question the caller posts and tracks
    return None
