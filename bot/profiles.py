"""Member profiles: the /profile modal, read back and checked (no Slack calls here)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.topics import LABELS, TOPICS, is_known
from storage.profiles import Profile, save_profile

if TYPE_CHECKING:
    from bot.services import Services

CALLBACK_ID = "profile_edit"
ROLE_OPTIONS = {"mayor": "Mayor", "cio": "CIO", "moderator": "Moderator or staff", "other": "Other"}
LIMITS = {"city": 120, "state": 60, "title": 200}
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>")


@dataclass
class ProfileDraft:
    role: str = "other"
    city: str = ""
    state: str = ""
    title: str = ""
    expertise: list[str] = field(default_factory=list)


def mentioned_member(text: str) -> str | None:
    """`<@U0NEFF|dianah>` (Slack escapes mentions in /profile's text) -> `U0NEFF`."""
    match = MENTION.fullmatch(text.strip())
    return match.group(1) if match else None


def option(value: str, label: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": label[:75]}, "value": value}


def text_input(block_id: str, label: str, initial: str, optional: bool = False) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": block_id, "max_length": LIMITS[block_id]}
    if initial:
        element["initial_value"] = initial[: LIMITS[block_id]]
    return {"type": "input", "block_id": block_id, "optional": optional,
            "label": {"type": "plain_text", "text": label}, "element": element}


def build_profile_modal(profile: Profile | None, *, user_id: str, own: bool, channel_id: str,
                        may_grant_moderator: bool) -> dict[str, Any]:
    """The modal for one's own profile, or (moderators) for another member's."""
    role = profile.role if profile else "other"
    roles = {k: v for k, v in ROLE_OPTIONS.items() if k != "moderator" or may_grant_moderator or role == k}
    expertise = [t for t in (profile.expertise if profile else []) if is_known(t)]
    topics: dict[str, Any] = {"type": "multi_static_select", "action_id": "expertise",
                              "options": [option(slug, label) for slug, label in TOPICS]}
    if expertise:
        topics["initial_options"] = [option(t, LABELS[t]) for t in expertise]
    blocks = [
        {"type": "input", "block_id": "role", "label": {"type": "plain_text", "text": "Role"},
         "element": {"type": "static_select", "action_id": "role",
                     "options": [option(k, v) for k, v in roles.items()],
                     "initial_option": option(role, ROLE_OPTIONS.get(role, "Other"))}},
        text_input("city", "City", profile.city if profile else "", optional=True),
        text_input("state", "State", profile.state if profile else "", optional=True),
        text_input("title", "Title", profile.title if profile else "", optional=True),
        {"type": "input", "block_id": "expertise", "optional": True,
         "label": {"type": "plain_text", "text": "Expertise"}, "element": topics},
    ]
    if not own:
        blocks.insert(0, {"type": "section", "text": {"type": "mrkdwn", "text": f"Profile of <@{user_id}>"}})
    return {
        "type": "modal", "callback_id": CALLBACK_ID,
        "private_metadata": json.dumps({"user_id": user_id, "channel_id": channel_id}),
        "title": {"type": "plain_text", "text": "Your profile" if own else "Member profile"},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def read_profile_modal(view: dict[str, Any]) -> tuple[ProfileDraft, str, str]:
    """(draft, whose profile, channel it was opened from) from a view_submission."""
    values = view.get("state", {}).get("values", {})

    def value(block_id: str) -> str:
        return str((values.get(block_id, {}).get(block_id) or {}).get("value") or "").strip()

    role = ((values.get("role", {}).get("role") or {}).get("selected_option") or {}).get("value", "")
    chosen = (values.get("expertise", {}).get("expertise") or {}).get("selected_options") or []
    draft = ProfileDraft(role=role, city=value("city"), state=value("state"), title=value("title"),
                         expertise=[o["value"] for o in chosen if is_known(o.get("value", ""))])
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        metadata = {}
    return draft, str(metadata.get("user_id") or ""), str(metadata.get("channel_id") or "")


def check_profile(draft: ProfileDraft, *, own: bool, editor_is_moderator: bool, current_role: str) -> dict[str, str]:
    """block id -> a short message; empty when the profile can be saved."""
    errors: dict[str, str] = {}
    if not own and not editor_is_moderator:
        errors["role"] = "Only moderators can set another member's profile."
    elif draft.role not in ROLE_OPTIONS:
        errors["role"] = "Pick a role."
    elif draft.role == "moderator" and current_role != "moderator" and not editor_is_moderator:
        errors["role"] = "Only a moderator can give the moderator role."
    if not draft.city and draft.role in ("mayor", "cio"):
        errors["city"] = "Mayors and CIOs: which city?"
    for name, limit in LIMITS.items():
        if len(getattr(draft, name)) > limit:
            errors[name] = f"Please keep this under {limit:,} characters."
    return errors


def describe(draft: ProfileDraft) -> str:
    place = ", ".join(p for p in (draft.city, draft.state) if p)
    return " · ".join(p for p in (ROLE_OPTIONS.get(draft.role, ""), place) if p)


def save(services: Services, team_id: str, user_id: str, draft: ProfileDraft) -> None:
    """Store the member's profile (one transaction) and forget their cached name, so the next card
    that names them asks the platform again (bot/members.py)."""
    with services.db.begin() as session:
        save_profile(session, team_id, user_id, services.clock(), role=draft.role, city=draft.city,
                     state=draft.state, title=draft.title, expertise=draft.expertise)
    services.names.forget(team_id, user_id)
