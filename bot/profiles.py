"""Member profiles: the /profile form (neutral), read back from its values and checked (no Slack here)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot import forms as f
from bot import messages as m
from bot.moderators import is_admin, is_moderator_in
from bot.topics import TOPICS, is_known
from storage.profiles import Profile, get_profile, save_profile

if TYPE_CHECKING:
    from bot.services import Services

CALLBACK_ID = "profile_edit"
USAGE = "Usage: `/profile` for yours; moderators: `/profile @member` for another member's."
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


def _text(key: str, label: str, value: str) -> f.Field:
    return f.Field(key, label, "text", value=value, optional=True, max_length=LIMITS[key])


def profile_form(profile: Profile | None, *, user_id: str, own: bool, channel_id: str,
                 may_grant_moderator: bool) -> f.Form:
    """The form for one's own profile, or (moderators) for another member's."""
    role = profile.role if profile else "other"
    roles = {k: v for k, v in ROLE_OPTIONS.items() if k != "moderator" or may_grant_moderator or role == k}
    expertise = tuple(t for t in (profile.expertise if profile else []) if is_known(t))
    whose: tuple[f.Field | m.Part, ...] = () if own else (m.Paragraph(m.line("Profile of ", m.Mention(user_id))),)
    return f.Form(
        kind=CALLBACK_ID, title="Your profile" if own else "Member profile",
        state=json.dumps({"user_id": user_id, "channel_id": channel_id}),
        parts=(*whose,
               f.Field("role", "Role", "select", value=role, options=tuple(f.Option(k, v) for k, v in roles.items())),
               _text("city", "City", profile.city if profile else ""),
               _text("state", "State", profile.state if profile else ""),
               _text("title", "Title", profile.title if profile else ""),
               f.Field("expertise", "Expertise", "multi_select", value=expertise, optional=True,
                       options=tuple(f.Option(slug, label) for slug, label in TOPICS))))


def read_profile(values: f.Values, state: str) -> tuple[ProfileDraft, str, str]:
    """(draft, whose profile, channel it was opened from) from a submitted profile form and its state."""
    draft = ProfileDraft(role=f.text(values, "role"), city=f.text(values, "city").strip(),
                         state=f.text(values, "state").strip(), title=f.text(values, "title").strip(),
                         expertise=[t for t in f.chosen(values, "expertise") if is_known(t)])
    carried = f.carried(state)
    return draft, str(carried.get("user_id") or ""), str(carried.get("channel_id") or "")


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


def saved(services: Services, team_id: str, user_id: str) -> None:
    """After a profile's save commits: this process forgets the member's kept name and profile, so
    the next card that names them asks the platform again and shows the new role and city, and the
    next share defaults to the new city (bot/members.py)."""
    services.names.forget(team_id, user_id)
    services.profiles.forget(team_id, user_id)


def form_for(services: Services, team_id: str, user_id: str, text: str, channel_id: str) -> f.Form | str:
    """`/profile` (one's own) or `/profile @member` (a moderator: another's): the form, or why not."""
    target = mentioned_member(text) if text else user_id
    if target is None:
        return USAGE
    moderator = services.is_moderator(team_id, user_id)
    if target != user_id and not moderator:
        return "Only moderators can set another member's profile. " + USAGE
    with services.db.read() as session:
        profile = get_profile(session, team_id, target)
    return profile_form(profile, user_id=target, own=target == user_id, channel_id=channel_id,
                        may_grant_moderator=moderator)


@dataclass
class SavedProfile:
    """`errors` by field (nothing saved), else what was saved for whom and the words that confirm it."""

    errors: dict[str, str]
    target: str
    channel_id: str
    confirmation: m.Inline = ()


def save_form(services: Services, team_id: str, user_id: str, submitted: f.Submitted) -> SavedProfile:
    """The form checked and saved in one transaction: the editor's moderator role as it reads them."""
    draft, target, channel_id = read_profile(submitted.values, submitted.state)
    target = target or user_id
    admin = is_admin(services, team_id, user_id)
    with services.db.begin() as session:
        current = get_profile(session, team_id, target)
        errors = check_profile(draft, own=target == user_id, current_role=current.role if current else "",
                               editor_is_moderator=is_moderator_in(services, session, team_id, user_id, admin=admin))
        if errors:
            return SavedProfile(errors, target, channel_id)
        save_profile(session, team_id, target, services.clock(), role=draft.role, city=draft.city,
                     state=draft.state, title=draft.title, expertise=draft.expertise)
    saved(services, team_id, target)
    whose = m.line("Your profile") if target == user_id else m.line(m.Mention(target), "'s profile")
    return SavedProfile({}, target, channel_id, m.line(*whose, " is saved: ", m.Text(describe(draft), cut=300), "."))
