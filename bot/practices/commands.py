"""`practice list|mine|show|delete` and the edit check, as plain functions every platform calls.

Slack's listeners and Teams' handlers answer with the same rules and words; each platform only
delivers the answer (and opens the form `edit_form` gives). Who may change a practice is checked in
the unit of work that changes it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot import forms as f
from bot import messages as m
from bot.exchange import exchange_scope
from bot.moderators import is_admin, is_moderator_in
from bot.practices import blocks, cards, oneline
from bot.practices.adoption import DELETED, reachable
from bot.practices.modal import share_form
from bot.practices.origins import origins, workspace_name
from bot.practices.rules import PracticeDraft, can_change, parse_id
from bot.questions.rules import practice_draft
from bot.services import Services
from bot.topics import normalize_topic
from storage.practices import Practice, adopting_cities, delete_practice, get_practice, list_practices
from storage.profiles import get_profile
from storage.questions import question_by_id

DELETED_TEXT = "Deleted practice #{id}. It no longer shows in search, lists and roundups."


def listing(services: Services, team_id: str, user_id: str, text: str, *, mine: bool = False) -> m.Message | str:
    """`/practice list` or `/practice mine`, filtered by `#topic` and `city:Name` as they read."""
    request = oneline.read_filters(services, team_id, text)
    if request.query:  # `/practice list tax`: a bare word is a topic, as with `#`
        topic = normalize_topic(request.query)
        if topic is None:
            verb = "mine" if mine else "list"
            return (f"Usage: `/practice {verb}`, `/practice {verb} #open-data` or "
                    f"`/practice {verb} city:Detroit`.")
        request.topics = [*request.topics, topic]
    with services.db.read() as session:
        found = list_practices(session, team_id, topics=request.topics, city=request.city,
                               user_id=user_id if mine else None, limit=10,
                               teams=() if mine else exchange_scope(session, services.settings))
        cities = adopting_cities(session, [p.id for p in found])
    where = oneline.filters_text(request)
    if mine:
        heading = m.line(m.bold("Your practices"), *where, ", newest first:")
        empty = (m.line("You have no practices", *where, ".") if where
                 else m.line("You have not shared a practice yet: ", m.code("/practice"), "."))
    else:
        heading = m.line(m.Styled("bold", m.line("Latest practices", *where, ":")))
        empty = m.line("No practices", *where, " yet. Share one with ", m.code("/practice"), ".")
    return blocks.build_results(heading, found, cities, empty, oneline.SEARCH_HINT,
                                origins=origins(services, team_id, found))


NO_SUCH = "There is no practice #{id}. `/practice mine` lists yours."


def may_change(services: Services, session: Session, team_id: str, user_id: str, practice: Practice, *,
               admin: bool) -> bool:
    """The sharer or a moderator, as `session` reads the roles: the caller changes the practice in
    the same unit of work, so a moderator demoted meanwhile cannot (`admin`: asked of the platform first)."""
    return can_change(practice, user_id, False) or is_moderator_in(services, session, team_id, user_id, admin=admin)


def refusal(services: Services, session: Session, team_id: str, user_id: str, practice_id: int,
            verb: str, missing: str = NO_SUCH, *, admin: bool) -> tuple[Practice | None, str]:
    """(the practice, "") when `user_id` may `verb` it in this unit of work, else (None, why not)."""
    practice = get_practice(session, team_id, practice_id)
    if practice is None:
        return None, missing.format(id=practice_id)
    if not may_change(services, session, team_id, user_id, practice, admin=admin):
        return None, f"Only the member who shared #{practice_id} or a moderator can {verb} it."
    return practice, ""


def changeable(services: Services, team_id: str, user_id: str, text: str, verb: str,
               missing: str = NO_SUCH) -> tuple[int | None, str]:
    """(the practice number, "") when `user_id` may `verb` it, else (None, why not)."""
    practice_id = parse_id(text)
    if practice_id is None:
        return None, f"Usage: `/practice {verb} 12` (the number shown on the practice)."
    admin = is_admin(services, team_id, user_id)
    with services.db.read() as session:
        practice, why_not = refusal(services, session, team_id, user_id, practice_id, verb, missing, admin=admin)
    return (practice_id, "") if practice is not None else (None, why_not)


def edit_form(services: Services, team_id: str, user_id: str, text: str, channel_id: str,
              missing: str = NO_SUCH) -> f.Form | str:
    """The share form filled with the practice, for its sharer or a moderator; else why not."""
    practice_id = parse_id(text)
    if practice_id is None:
        return "Usage: `/practice edit 12` (the number shown on the practice)."
    admin = is_admin(services, team_id, user_id)
    with services.db.read() as session:
        practice, why_not = refusal(services, session, team_id, user_id, practice_id, "edit", missing, admin=admin)
        draft = PracticeDraft.of(practice) if practice is not None else None
    if draft is None:
        return why_not
    return share_form(draft, channel_id=channel_id, practice_id=practice_id)


def share_form_for(services: Services, team_id: str, user_id: str, channel_id: str) -> f.Form:
    """The empty share form, the city from the member's profile."""
    with services.db.read() as session:
        profile = get_profile(session, team_id, user_id)
    return share_form(PracticeDraft(city=profile.city if profile else ""), channel_id=channel_id)


def form_from_question(services: Services, team_id: str, user_id: str, question_id: int) -> f.Form | None:
    """*Save as practice*: the share form prefilled from the question and its accepted answer; None
    when the question is no longer tracked."""
    with services.db.read() as session:
        draft = practice_draft(session, team_id, question_id, user_id)
        question = question_by_id(session, team_id, question_id)
    if draft is None or question is None:
        return None
    return share_form(draft, channel_id=question.channel_id, question_id=question.id)


def show(services: Services, team_id: str, user_id: str, text: str) -> m.Message | str:
    """Everything about a practice search can find: the workspace's own, or (the exchange) another
    approved workspace's shared in a public conversation."""
    practice_id = parse_id(text)
    if practice_id is None:
        return "Usage: `/practice show 12` (the number shown on the practice)."
    found = reachable(services, team_id, practice_id)
    shown = cards.load(services, found.team_id, practice_id) if found else None
    if shown is None:
        return f"There is no practice #{practice_id}. `/practice mine` lists yours."
    origin = workspace_name(services, shown.practice.team_id) if shown.practice.team_id != team_id else ""
    return blocks.build_show(shown.practice, shown.sharer, shown.cities, origin)


def delete(services: Services, team_id: str, user_id: str, text: str, *, confirmed: bool = False) -> m.Message | str:
    """`/practice delete 12` asks first (the prompt); the confirmed button deletes, checked in its transaction."""
    practice_id = parse_id(text)
    if practice_id is None:
        return "Usage: `/practice delete 12` (the number shown on the practice)."
    admin = is_admin(services, team_id, user_id)
    with services.db.begin() as session:
        practice, why_not = refusal(services, session, team_id, user_id, practice_id, "delete", admin=admin)
        if practice is None:
            return why_not
        if not confirmed:
            return blocks.build_delete_prompt(practice)
        delete_practice(session, practice, services.clock(), by=user_id)
    cards.refresh_card(services, team_id, practice_id)
    return DELETED_TEXT.format(id=practice_id)


def publish(services: Services, team_id: str, user_id: str, text: str) -> str:
    """*Publish on the web library* (and back): the sharer or a moderator, checked in its transaction."""
    practice_id = parse_id(text)
    if practice_id is None:
        return DELETED
    admin = is_admin(services, team_id, user_id)
    with services.db.begin() as session:
        practice, why_not = refusal(services, session, team_id, user_id, practice_id, "publish", DELETED, admin=admin)
        if practice is None:
            return why_not
        practice.published = not practice.published
        published = practice.published
    cards.refresh_card(services, team_id, practice_id)
    return (f"#{practice_id} is now on the public web library." if published else
            f"#{practice_id} is no longer on the public web library.")
