"""Saving the practice form (share or edit), as a plain function every platform calls.

A Slack modal and a Teams dialog are read and checked by the same rules: errors come back by field for the form to show,
and nothing is committed before every check has run. The caller posts or refreshes the card.

A new practice is written as the one-line share writes it (storage/practice_rows.py: three Core
INSERTs, nothing read back), after reading who is credited and their profile, which the card shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot import forms as f
from bot.moderators import is_admin
from bot.practices.commands import may_change
from bot.practices.modal import ShareState, read_share, share_state, topic_problem
from bot.practices.rules import PracticeDraft, validate
from bot.questions.rules import credit
from bot.services import Services
from storage.practice_rows import insert_practice
from storage.practices import Practice, get_practice, update_practice
from storage.profiles import Profile, get_profile


@dataclass
class Saved:
    errors: dict[str, str] = field(default_factory=dict)  # field -> what is wrong; nothing was saved
    practice: Practice | None = None
    edited: bool = False
    channel_id: str = ""
    profile: Profile | None = None  # a new practice's sharer's, for its card (post_new_card)


def save_form(services: Services, team_id: str, user_id: str, submitted: f.Submitted) -> Saved:
    draft, carried = read_share(submitted.values), share_state(submitted.state)
    errors = validate(draft)
    if problem := topic_problem(submitted.values):
        errors["free_topics"] = problem
    if errors:
        return Saved(errors)
    practice_id = carried.practice_id
    if practice_id is None:
        return share(services, team_id, user_id, draft, carried)
    admin = is_admin(services, team_id, user_id)
    with services.db.begin() as session:
        found = get_practice(session, team_id, practice_id)
        if found is None or not may_change(services, session, team_id, user_id, found, admin=admin):
            return Saved({"title": "You can no longer edit this practice."})
        practice = update_practice(session, found, services.clock(), by=user_id, topics=draft.topics,
                                   **draft.fields())
        practice.published = draft.published
    return Saved(practice=practice, edited=True, channel_id=carried.channel_id)


def share(services: Services, team_id: str, user_id: str, draft: PracticeDraft, carried: ShareState) -> Saved:
    """A checked draft as a new practice: credited to the accepted answer's author when saved from a
    question; read first, so the write holds SQLite's lock for its INSERTs only."""
    with services.db.read() as session:
        saved = credit(session, team_id, carried.question_id, user_id) if carried.question_id else None
        sharer = saved.user_id if saved else user_id
        profile = get_profile(session, team_id, sharer)
    with services.db.write() as conn:
        practice = insert_practice(conn, team_id, sharer, services.clock(), topics=draft.topics,
                                   published=draft.published, **draft.fields(),
                                   **({"asked_by": saved.asked_by, "saved_by": saved.saved_by} if saved else {}))
    return Saved(practice=practice, channel_id=carried.channel_id, profile=profile)
