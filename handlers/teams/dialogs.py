"""Forms as Teams dialogs: `task/fetch` opens the form (bot/forms.Form rendered by
bot/render/teams_forms.py), `task/submit` reads its Values with the same readers and rules as the Slack
modal; a refused submission returns the form again with the errors at their fields, and nothing is
saved before every check has run. A saved form closes with a short message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from bot import forms as f
from bot.practices import blocks, commands
from bot.practices.modal import read_share, share_form
from bot.practices.rules import PracticeDraft
from bot.practices.saving import save_form
from bot.profiles import check_profile, describe, profile_form, read_profile, save
from bot.render import teams_forms
from bot.roundtables import meetings
from bot.roundtables.blocks import announcement
from bot.roundtables.commands import NO_NEXT_MEETING
from bot.roundtables.modal import ModalErrors, read_modal, schedule_form
from bot.services import Services
from handlers.teams import commands as typed
from handlers.teams.replies import PROFILE, SCHEDULE, SHARE, Said, Turn
from storage.practices import get_practice
from storage.profiles import get_profile

Answer = tuple[dict[str, Any], Said | None]  # the invoke response, and what to post in the conversation


def closed(text: str) -> dict[str, Any]:
    """The response that closes the dialog with a note."""
    return {"task": {"type": "message", "value": text[:500]}}


def form_for(services: Services, turn: Turn, kind: str, value: str) -> f.Form | str:
    """The form a dialog button opens, or why it does not open."""
    team, user, here = turn.team_id, turn.user_id, turn.conversation_id
    with services.db.read() as session:
        profile = get_profile(session, team, user)
    if kind == SHARE:
        return share_form(PracticeDraft(city=profile.city if profile else ""), channel_id=here)
    if kind == blocks.EDIT:
        practice_id, refusal = commands.changeable(services, team, user, value, "edit")
        if practice_id is None:
            return refusal
        with services.db.read() as session:
            practice = get_practice(session, team, practice_id)
            draft = PracticeDraft.of(practice) if practice else None
        return share_form(draft, channel_id=here, practice_id=practice_id) if draft else refusal
    if kind == PROFILE:
        return profile_form(profile, user_id=user, own=True, channel_id=here,
                            may_grant_moderator=services.is_moderator(team, user))
    if kind == SCHEDULE:
        if not services.is_moderator(team, user):
            return typed.ROUNDTABLE_REFUSAL
        return schedule_form(channel_id=here, timezone=services.settings.timezone)
    return "That form is no longer available."


def opened(services: Services, turn: Turn, data: Any) -> Answer:
    data = data if isinstance(data, dict) else {}
    form = form_for(services, turn, str(data.get("action") or ""), str(data.get("value") or ""))
    return (closed(form) if isinstance(form, str) else teams_forms.dialog(form)), None


def again(form: f.Form, errors: Mapping[str, str], state: str | None = None) -> Answer:
    """The form shown again with `errors` at their fields (and the submission's own state)."""
    return teams_forms.dialog(replace(form, errors=errors, state=form.state if state is None else state)), None


def submitted(services: Services, turn: Turn, data: Any) -> Answer:
    sent = teams_forms.submitted(data, turn.user_id)
    team, user = turn.team_id, turn.user_id
    if sent.kind == SHARE:
        saved = save_form(services, team, user, sent)
        if saved.errors or saved.practice is None:
            return again(share_form(read_share(sent.values), channel_id=turn.conversation_id), saved.errors, sent.state)
        verb = "Saved" if saved.edited else "Shared"
        return closed(f"{verb} {saved.practice.title[:200]} (#{saved.practice.id})."), None
    if sent.kind == PROFILE:
        draft, _, _ = read_profile(sent.values, sent.state)
        with services.db.read() as session:
            current = get_profile(session, team, user)
        errors = check_profile(draft, own=True, current_role=current.role if current else "",
                               editor_is_moderator=services.is_moderator(team, user))
        if errors:
            return again(profile_form(current, user_id=user, own=True, channel_id=turn.conversation_id,
                                      may_grant_moderator=False), errors)
        save(services, team, user, draft)
        return closed(f"Your profile is saved: {describe(draft)[:300]}."), None
    if sent.kind == SCHEDULE:
        return scheduled(services, turn, sent)
    return closed("That form is no longer available."), None


def scheduled(services: Services, turn: Turn, sent: f.Submitted) -> Answer:
    """The roundtable form: a new roundtable (editing one stays in Slack for now)."""
    form = schedule_form(channel_id=turn.conversation_id, timezone=services.settings.timezone)
    if not services.is_moderator(turn.team_id, turn.user_id):
        return again(form, {"title": typed.ROUNDTABLE_REFUSAL})
    now = services.clock()
    try:
        plan = read_modal(sent.values, now)
        with services.db.begin() as session:  # nothing is committed unless it has a next meeting
            roundtable = meetings.schedule(session, team_id=turn.team_id, user_id=turn.user_id, plan=plan, now=now)
            start = meetings.next_meeting(roundtable, now)
            if start is None:
                raise ModalErrors({"date": NO_NEXT_MEETING})
    except ModalErrors as error:
        return again(form, error.errors, sent.state)
    return (closed(f"Scheduled roundtable #{roundtable.id}: roundtable list shows it."),
            announcement(roundtable, start, turn.user_id))

