"""Forms as Teams dialogs: `task/fetch` opens the form (bot/forms.Form rendered by
bot/render/teams_forms.py), `task/submit` reads its Values with the same readers and rules as the Slack
modal; a refused submission returns the form again with the errors at their fields, and nothing is
saved before every check has run. A saved form closes with a short message.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import httpx

from bot import forms as f
from bot import messages as m
from bot import profiles
from bot.chat import ChatError
from bot.digests import blocks as digest_blocks
from bot.digests import commands as digest_commands
from bot.practices import blocks, commands
from bot.practices.modal import read_share, share_form
from bot.practices.saving import save_form
from bot.render import teams_forms
from bot.render.text import inline_text
from bot.roundtables import saving
from bot.roundtables.blocks import announcement, moved, scheduled_text
from bot.roundtables.commands import REFUSAL
from bot.roundtables.modal import roundtable_id_of, schedule_form
from bot.roundup import commands as roundup_commands
from bot.services import Services
from bot.teams.wording import for_teams, in_teams_terms, inline, offered
from handlers.teams import digests
from handlers.teams.replies import (
    DIGEST_DRAFT,
    PROFILE,
    ROUNDTABLE_EDIT,
    ROUNDUP_SETTINGS,
    SCHEDULE,
    SHARE,
    Said,
    Turn,
    knowing,
)
from storage.teams_conversations import conversations_of

log = logging.getLogger(__name__)
Answer = tuple[dict[str, Any], Said | None]  # the invoke response, and what to post in the conversation


def closed(text: str) -> dict[str, Any]:
    """The response that closes the dialog with a note."""
    return {"task": {"type": "message", "value": text[:500]}}


def form_for(services: Services, turn: Turn, kind: str, value: str) -> f.Form | str:
    """The form a dialog button opens, or why it does not open."""
    team, user, here = turn.team_id, turn.user_id, turn.conversation_id
    if kind == SHARE:
        return commands.share_form_for(services, team, user, here)
    if kind == blocks.EDIT:
        return commands.edit_form(services, team, user, value, here)
    if kind == PROFILE:
        return profiles.form_for(services, team, user, "", here)
    if kind == ROUNDUP_SETTINGS:
        form = roundup_commands.settings(services, team, user, roundup_channels(services, team, here))
        if isinstance(form, tuple):
            return inline_text(for_teams(form, knowing(services.db, turn, form).channel_of()).fallback)
        return form
    if kind == DIGEST_DRAFT:
        return digests.draft(services, turn, value)
    if kind in (SCHEDULE, ROUNDTABLE_EDIT):
        if not services.is_moderator(team, user):
            return REFUSAL
        if kind == ROUNDTABLE_EDIT:
            return saving.edit_form(services, team, value)
        return schedule_form(channel_id=here, timezone=services.settings.timezone)
    return "That form is no longer available."


def roundup_channels(services: Services, tenant_id: str, here: str) -> tuple[f.Option, ...]:
    """Where a tenant's roundup may go: the channels and group chats the bot has heard from (a
    personal chat is one member's), this conversation first; Teams has no channel picker in a card, so
    each is offered by the name Teams gave it ("Team › Channel", the chat's), never by its id."""
    with services.db.read() as session:
        known = [(c.conversation_id, c.conversation_type, c.name or "", c.team_name or "")
                 for c in conversations_of(session, tenant_id) if c.conversation_type != "personal"]
    return tuple(f.Option(c, name) for c, name in offered(known, here))


def opened(services: Services, turn: Turn, data: Any) -> Answer:
    data = data if isinstance(data, dict) else {}
    form = form_for(services, turn, str(data.get("action") or ""), str(data.get("value") or ""))
    return (refusal(form) if isinstance(form, str) else shown(services, form, turn)), None


def refusal(text: str) -> dict[str, Any]:
    """The dialog closed with why it did not open: the bot's wording as read in Teams, as plain text."""
    return closed(inline_text(inline(text)))


def message_action(services: Services, turn: Turn, action: Any) -> Answer:
    """A message action's `composeExtension/fetchTask` (*Save discussion digest*): its draft as the dialog."""
    form = digests.from_message(services, turn, action)
    return (refusal(form) if isinstance(form, str) else shown(services, form, turn)), None


def shown(services: Services, form: f.Form, turn: Turn) -> dict[str, Any]:
    """The dialog for `form` in Teams' words: its command words as typed, conversations named."""
    named = knowing(services.db, turn, form.parts).channel_of()
    return teams_forms.dialog(replace(form, parts=in_teams_terms(form.parts, named)))


def again(services: Services, form: f.Form, turn: Turn, errors: Mapping[str, str], state: str | None = None
          ) -> Answer:
    """The form shown again with `errors` at their fields (and the submission's own state)."""
    return shown(services, replace(form, errors=errors, state=form.state if state is None else state), turn), None


def submitted(services: Services, turn: Turn, data: Any) -> Answer:
    sent = teams_forms.submitted(data, turn.user_id)
    team, user = turn.team_id, turn.user_id
    if sent.kind == SHARE:
        saved = save_form(services, team, user, sent)
        if saved.errors or saved.practice is None:
            form = share_form(read_share(sent.values), channel_id=turn.conversation_id)
            return again(services, form, turn, saved.errors, sent.state)
        verb = "Saved" if saved.edited else "Shared"
        return closed(f"{verb} {saved.practice.title[:200]} (#{saved.practice.id})."), None
    if sent.kind == PROFILE:
        profile = profiles.save_form(services, team, user, sent)
        if profile.errors:
            form = profiles.form_for(services, team, user, "", turn.conversation_id)
            return again(services, form, turn, profile.errors) if not isinstance(form, str) else (closed(form), None)
        return closed(inline_text(profile.confirmation)), None
    if sent.kind == SCHEDULE:
        return scheduled(services, turn, sent)
    if sent.kind == digest_blocks.CALLBACK_ID:
        return digest_saved(services, turn, sent)
    if sent.kind == ROUNDUP_SETTINGS:
        channels = roundup_channels(services, team, turn.conversation_id)
        saved = roundup_commands.save_settings(services, team, user, sent.values, {c.value for c in channels}.__contains__)
        if isinstance(saved, dict):
            form = form_for(services, turn, ROUNDUP_SETTINGS, "")
            return again(services, form.refilled(sent.values), turn, saved) if isinstance(form, f.Form) else (closed(form), None)
        return shown(services, saved, turn), None
    return closed("That form is no longer available."), None


def digest_saved(services: Services, turn: Turn, sent: f.Submitted) -> Answer:
    """The digest draft: checked and saved by the rules Slack's form uses, then posted in its thread
    (bot/digests/commands.py); a refused one is shown again with the errors at their fields."""
    saved = digest_commands.save(services, turn.team_id, turn.user_id, sent)
    if saved.digest is None:
        return again(services, digests.refused(sent), turn, saved.errors, sent.state)
    digest_commands.post(services, turn.team_id, turn.user_id, saved.digest)
    title = saved.digest.title[:200]
    return closed(f"Saved the digest \u201c{title}\u201d: it is posted in the thread."), None


def scheduled(services: Services, turn: Turn, sent: f.Submitted) -> Answer:
    """The roundtable form (schedule or edit): saved by the rules Slack's modal uses; a new one is
    announced here, a moved one in its channel; a refused one is shown again as the member left it."""
    saved = saving.save_form(services, turn.team_id, turn.user_id, sent)
    roundtable, start = saved.roundtable, saved.start
    if roundtable is None or start is None:
        form = schedule_form(channel_id=turn.conversation_id, timezone=services.settings.timezone,
                             roundtable_id=roundtable_id_of(sent.state))
        return again(services, form.refilled(sent.values), turn, saved.errors, sent.state)
    if not saved.edited:
        return (closed(f"Scheduled roundtable #{roundtable.id}: roundtable list shows it."),
                announcement(roundtable, start, turn.user_id))
    if saved.moved:
        tell_channel(services, turn.team_id, roundtable.channel_id, moved(roundtable, saved.before, start))
    said = scheduled_text(roundtable, start, "Saved")
    return closed(inline_text(for_teams(said, knowing(services.db, turn, said).channel_of()).fallback)), None


def tell_channel(services: Services, team_id: str, channel_id: str, message: m.Message) -> None:
    """A notice in the roundtable's own conversation (perhaps not this one); one that fails is logged."""
    try:
        services.chat_for(team_id).post(channel_id, message)
    except (ChatError, httpx.HTTPError) as error:
        log.warning("roundtable notice not posted in %s: %s", channel_id, type(error).__name__)
