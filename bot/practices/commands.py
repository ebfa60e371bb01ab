"""`practice list|mine|show|delete` and the edit check, as plain functions every platform calls.

Moved out of handlers/practices.py (its `listing`, `practice_or_refusal`, `show` and `delete`
closures), so Slack and Teams answer with the same rules and words; each platform only delivers
the answer (and opens its own edit form once `changeable` says yes).
"""

from __future__ import annotations

from bot import messages as m
from bot.exchange import exchange_scope
from bot.practices import blocks, cards, oneline
from bot.practices.adoption import reachable
from bot.practices.origins import origins, workspace_name
from bot.practices.rules import can_change, parse_id
from bot.services import Services
from bot.topics import normalize_topic
from storage.practices import adopting_cities, delete_practice, get_practice, list_practices

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


def changeable(services: Services, team_id: str, user_id: str, text: str, verb: str) -> tuple[int | None, str]:
    """(the practice number, "") when `user_id` may `verb` it (show: anyone), else (None, why not)."""
    practice_id = parse_id(text)
    if practice_id is None:
        return None, f"Usage: `/practice {verb} 12` (the number shown on the practice)."
    with services.db.read() as session:
        practice = get_practice(session, team_id, practice_id)
        owner = practice.user_id if practice else None
    if practice is None:
        return None, f"There is no practice #{practice_id}. `/practice mine` lists yours."
    if verb in ("edit", "delete", "publish") and not can_change(
            practice, user_id, owner != user_id and services.is_moderator(team_id, user_id)):
        return None, f"Only the member who shared #{practice_id} or a moderator can {verb} it."
    return practice_id, ""


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
    """`/practice delete 12` asks first (the prompt); the confirmed button deletes."""
    practice_id, refusal = changeable(services, team_id, user_id, text, "delete")
    if practice_id is None:
        return refusal
    with services.db.begin() as session:
        practice = get_practice(session, team_id, practice_id)
        if practice is not None and confirmed:
            delete_practice(session, practice, services.clock(), by=user_id)
        prompt = blocks.build_delete_prompt(practice) if practice is not None and not confirmed else None
    if prompt is not None:
        return prompt
    cards.refresh_card(services, team_id, practice_id)
    return DELETED_TEXT.format(id=practice_id)


def publish(services: Services, team_id: str, user_id: str, text: str) -> str:
    """*Publish on the web library* (and back): the sharer or a moderator."""
    practice_id, refusal = changeable(services, team_id, user_id, text, "publish")
    if practice_id is None:
        return refusal
    with services.db.begin() as session:
        found = get_practice(session, team_id, practice_id)
        if found is None:
            return "That practice was deleted."
        found.published = not found.published
        published = found.published
    cards.refresh_card(services, team_id, practice_id)
    return (f"#{practice_id} is now on the public web library." if published else
            f"#{practice_id} is no longer on the public web library.")
