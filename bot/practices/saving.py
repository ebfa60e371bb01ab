"""Saving the practice form (share or edit), as a plain function every platform calls.

A Slack modal and a Teams dialog are read and checked by the same rules: errors come back by field for the form to show,
and nothing is committed before every check has run. The caller posts or refreshes the card.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot import forms as f
from bot.moderators import is_admin
from bot.practices.commands import may_change
from bot.practices.modal import read_share, share_state, topic_problem
from bot.practices.rules import validate
from bot.questions.rules import credit
from bot.services import Services
from storage.practices import Practice, add_practice, get_practice, update_practice


@dataclass
class Saved:
    errors: dict[str, str] = field(default_factory=dict)  # field -> what is wrong; nothing was saved
    practice: Practice | None = None
    edited: bool = False
    channel_id: str = ""


def save_form(services: Services, team_id: str, user_id: str, submitted: f.Submitted) -> Saved:
    draft, carried = read_share(submitted.values), share_state(submitted.state)
    errors = validate(draft)
    if problem := topic_problem(submitted.values):
        errors["free_topics"] = problem
    if errors:
        return Saved(errors)
    practice_id, question_id = carried.practice_id, carried.question_id
    admin = is_admin(services, team_id, user_id) if practice_id else False
    with services.db.begin() as session:
        if practice_id is None:
            saved = credit(session, team_id, question_id, user_id) if question_id else None
            practice = add_practice(session, team_id, saved.user_id if saved else user_id, services.clock(),
                                    topics=draft.topics, **draft.fields(),
                                    **({"asked_by": saved.asked_by, "saved_by": saved.saved_by} if saved else {}))
        else:
            found = get_practice(session, team_id, practice_id)
            if found is None or not may_change(services, session, team_id, user_id, found, admin=admin):
                return Saved({"title": "You can no longer edit this practice."})
            practice = update_practice(session, found, services.clock(), by=user_id, topics=draft.topics,
                                       **draft.fields())
        practice.published = draft.published
    return Saved(practice=practice, edited=practice_id is not None, channel_id=carried.channel_id)
