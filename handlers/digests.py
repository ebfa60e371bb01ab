"""The `save_digest` message shortcut, its modal, and `/digest list|search`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import conversations
from bot.chat import Chat, ChatError
from bot.digests import blocks
from bot.digests.draft import BODY_LIMIT, TITLE_LIMIT, participants
from bot.digests.rules import CANNOT_READ, CANNOT_READ_OTHER, NO_THREAD, prepare_draft, thread_root
from bot.digests.threads import member_names, read_thread
from bot.messages import Message, bold, line
from bot.render import slack
from bot.services import Services
from bot.text import split_subcommand
from handlers.errors import guarded
from storage import conversations as conversation_store
from storage import digests

log = logging.getLogger("roundtable.digests")
USAGE = ("Usage: `/digest list` shows the latest saved digests; `/digest search &lt;words&gt;` finds digests. "
         "To save one, use *Save discussion digest* from a thread's message menu.")
SEARCH_RESULTS = 10


def register(app: App, services: Services) -> None:
    @app.shortcut("save_digest")
    @guarded
    def save_digest_shortcut(ack: Ack, shortcut: dict, client: WebClient, respond: Callable[..., object]) -> None:
        ack()
        team_id = shortcut["team"]["id"]
        channel_id = (shortcut.get("channel") or {}).get("id", "")
        root = thread_root(shortcut.get("message") or {})
        if root is None or not channel_id:
            respond(text=NO_THREAD, response_type="ephemeral")
            return
        ref = blocks.ThreadRef(channel_id, root)
        view_id = services.chat_for(team_id).open_form(shortcut["trigger_id"], blocks.build_reading_form(ref))
        try:
            thread = read_thread(client, channel_id, root)
        except ChatError as error:
            reason = error.code
            log.warning("could not read thread %s/%s: %s", channel_id, root, reason)
            services.chat_for(team_id).update_form(view_id, blocks.build_problem_form(line(CANNOT_READ.get(reason, CANNOT_READ_OTHER))))
            return
        names = member_names(client, participants(thread.messages))
        public = conversations.ask_slack(client, channel_id, (shortcut.get("channel") or {}).get("name", ""))
        with services.db.begin() as session:
            conversation_store.record(session, team_id, channel_id, public, services.clock())
            draft = prepare_draft(session, team_id, thread.messages, names)
        ref = blocks.ThreadRef(channel_id, root, tuple(draft.participant_ids), draft.message_count)
        sealed = ref.encode(_key(services), shortcut["user"]["id"], team_id)
        services.chat_for(team_id).update_form(view_id, blocks.build_draft_form(draft, ref, thread.complete, sealed))

    @app.view("save_digest")
    @guarded
    def save_digest_submission(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        values = view.get("state", {}).get("values", {})
        title = _value(values, "title")
        text = _value(values, "body")
        team_id, user_id = body["team"]["id"], body["user"]["id"]
        ref = blocks.ThreadRef.decode(view.get("private_metadata", ""), _key(services), user_id, team_id)
        errors = {}
        if not title or len(title) > TITLE_LIMIT:
            errors["title"] = f"Give the digest a title of at most {TITLE_LIMIT} characters."
        if not text or len(text) > BODY_LIMIT:
            errors["body"] = f"Keep the digest between one line and {BODY_LIMIT} characters."
        if errors or ref is None:
            ack(response_action="errors", errors=errors or {"body": "This draft has expired: start again."})
            return
        saved = digests.DigestText(ref.channel_id, ref.thread_ts, title, text, list(ref.participant_ids),
                                   ref.message_count)
        with services.db.begin() as session:
            earlier = digests.digest_of_thread(session, team_id, ref.channel_id, ref.thread_ts)
            owner = earlier.saved_by if earlier is not None else user_id
        if owner != user_id and not services.is_moderator(team_id, user_id):
            ack(response_action="errors", errors={"body": (
                "Another member saved this thread's digest: only they or a moderator can replace it.")})
            return
        with services.db.begin() as session:
            digest = digests.save_digest(session, team_id, user_id, saved, services.clock())
        ack()
        _post(services, team_id, user_id, digest)

    @app.command("/digest")
    @guarded
    def digest_command(ack: Ack, command: dict, respond: Callable[..., object]) -> None:
        ack()
        subcommand, rest = split_subcommand(command.get("text", ""))
        team_id = command["team_id"]
        if subcommand in ("", "list"):
            with services.db.begin() as session:
                found, total = digests.recent_digests(session, team_id, blocks.LIST_LIMIT,
                                                      here=command.get("channel_id", ""))
                listing = blocks.build_digest_list(found, total, empty=line(
                    "No digests yet. Use ", bold("Save discussion digest"), " from a thread's message menu to save one."))
        elif subcommand == "search" and rest:
            with services.db.begin() as session:
                found = digests.search_digests(session, team_id, rest, SEARCH_RESULTS,
                                               here=command.get("channel_id", ""))
                listing = blocks.build_digest_list(
                    found, len(found), heading="Digests found",
                    empty=line("No digest matches that. Try fewer or other words."))
        else:
            respond(text=USAGE, response_type="ephemeral")
            return
        respond(response_type="ephemeral", **slack.message(listing))


def _key(services: Services) -> str:
    """What seals a draft's private_metadata: a secret Slack and the bot share (Socket Mode has no
    signing secret: the bot token then)."""
    return services.settings.signing_secret or services.settings.bot_token or "roundtable"


def _value(values: dict[str, Any], block_id: str) -> str:
    return str((values.get(block_id, {}).get(block_id, {}) or {}).get("value") or "").strip()


def _post(services: Services, team_id: str, user_id: str, digest: digests.Digest) -> None:
    """Post the digest in its thread (or update the earlier post); a failure leaves it saved and says so."""
    message = blocks.build_digest_message(digest)
    try:
        ts = _update(services.chat_for(team_id), digest, message) if digest.message_ts else ""
        if not ts:
            ts = services.chat_for(team_id).post(digest.channel_id, message, thread=digest.thread_ts)
        permalink = services.chat_for(team_id).permalink(digest.channel_id, ts)
    except ChatError as error:
        log.warning("digest %s saved but not posted: %s", digest.id, error.code)
        services.chat_for(team_id).send_direct(user_id, blocks.build_not_posted(digest))
        return
    with services.db.begin() as session:
        digests.record_post(session, team_id, digest.id, ts, permalink)
    log.info("digest %s posted in %s thread %s", digest.id, digest.channel_id, digest.thread_ts)


def _update(chat: Chat, digest: digests.Digest, message: Message) -> str:
    """Replace the digest's earlier post; "" when that post is gone and a new one is needed."""
    try:
        chat.update(digest.channel_id, digest.message_ts, message)
    except ChatError as error:
        if error.code != "message_not_found":
            raise
        return ""
    return digest.message_ts
