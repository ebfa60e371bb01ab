"""`digest list`, `digest search <words>` and a digest's draft and saving, as plain functions every
platform calls: Slack and Teams list and find digests with the same queries and words, and draft and
save one from a thread each platform reads its own way (Slack's conversations.replies in
bot/digests/threads.py, Teams' Microsoft Graph in bot/teams/graph.py). A thread of a Slack Connect
channel has one digest, kept under the channel's home (bot/connect.py), whichever workspace's member
saves it; replacing another member's is for a moderator of either workspace.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot import connect
from bot import forms as f
from bot import messages as m
from bot.chat import Chat, ChatError
from bot.config import Settings
from bot.digests import blocks
from bot.digests.draft import BODY_LIMIT, TITLE_LIMIT
from bot.digests.rules import prepare_draft
from bot.digests.threads import Thread
from bot.exchange import exchange_scope
from bot.moderators import is_admin, is_moderator_in
from bot.services import Services
from storage import conversations as conversation_store
from storage import digests

log = logging.getLogger("roundtable.digests")

SEARCH_RESULTS = 10
NONE_SAVED = m.line("No digests yet. Use ", m.bold("Save discussion digest"), " from a thread's message menu to save one.")
NONE_FOUND = m.line("No digest matches that. Try fewer or other words.")


NONE_SAVED_TEAMS = m.line("No digests yet. Reply in a channel thread with ",
                          m.code("@Roundtable digest save"), " to save one.")


def listing(services: Services, team_id: str, here: str = "", empty: m.Inline = NONE_SAVED) -> m.Message:
    home = connect.home_team(services, team_id, here)  # typed in a shared channel: its digests too
    with services.db.read() as session:
        found, total = digests.recent_digests(session, team_id, blocks.LIST_LIMIT, here=here, home=home)
        return blocks.build_digest_list(found, total, empty=empty)


def search(services: Services, team_id: str, words: str, here: str = "") -> m.Message:
    with services.db.read() as session:
        found = digests.search_digests(session, team_id, words, SEARCH_RESULTS, here=here,
                                       teams=exchange_scope(session, services.settings))
    return blocks.build_digest_list(found, len(found), heading="Digests found", empty=NONE_FOUND,
                                    elsewhere=other_platforms(services, team_id, found))


PLATFORMS = {"slack": "Slack", "teams": "Microsoft Teams"}


def other_platforms(services: Services, team_id: str,
                    found: Sequence[digests.Digest | digests.DigestLink]) -> dict[int, tuple[str, str]]:
    """The digests of the exchange saved on another platform than `team_id`'s: where, and by whom
    (the name the bot keeps for the saver, "" when none)."""
    here = services.platform_of(team_id)
    return {d.id: (PLATFORMS.get(there, there), services.names.known_anywhere(d.saved_by))
            for d in found if (there := services.platform_of(d.team_id)) != here}


def seal_key(settings: Settings) -> str:
    """What seals a draft's state: a secret the platform and the bot share (Socket Mode has no signing
    secret: the bot token then; a Teams-only bot: its app password)."""
    return settings.signing_secret or settings.bot_token or settings.teams_app_password or "roundtable"


def draft_form(services: Services, team_id: str, user_id: str, thread: Thread, names: dict[str, str],
               public: bool | None = None) -> f.Form:
    """The draft of `thread` as the form `user_id` edits, its state sealed for them; kept under the
    conversation's home, which the bot learns is `public` (None: already known)."""
    home = connect.home_team(services, team_id, thread.channel_id)  # a shared channel's digest is its home's
    with services.db.begin() as session:
        if public is not None:
            conversation_store.record(session, home, thread.channel_id, public, services.clock())
        draft = prepare_draft(session, home, thread.messages, names)
    ref = blocks.ThreadRef(thread.channel_id, thread.thread_ts, tuple(draft.participant_ids),
                           draft.message_count)
    sealed = ref.encode(seal_key(services.settings), user_id, team_id)
    return blocks.build_draft_form(draft, ref, thread.complete, sealed)


@dataclass
class Saved:
    """`errors` by field (nothing saved), or the saved digest."""

    errors: dict[str, str] = field(default_factory=dict)
    digest: digests.Digest | None = None


def save(services: Services, team_id: str, user_id: str, submitted: f.Submitted) -> Saved:
    """The draft form checked and saved under the thread's conversation (a shared channel's home);
    replacing another member's digest of the thread is for them or a moderator (of the member's own
    workspace), checked in the same transaction as the save."""
    title, text = f.text(submitted.values, "title").strip(), f.text(submitted.values, "body").strip()
    ref = blocks.ThreadRef.decode(submitted.state, seal_key(services.settings), user_id, team_id)
    errors = {}
    if not title or len(title) > TITLE_LIMIT:
        errors["title"] = f"Give the digest a title of at most {TITLE_LIMIT} characters."
    if not text or len(text) > BODY_LIMIT:
        errors["body"] = f"Keep the digest between one line and {BODY_LIMIT} characters."
    if errors or ref is None:
        return Saved(errors or {"body": "This draft has expired: start again."})
    saved = digests.DigestText(ref.channel_id, ref.thread_ts, title, text, list(ref.participant_ids),
                               ref.message_count)
    admin = is_admin(services, team_id, user_id)
    home = connect.home_team(services, team_id, ref.channel_id)
    with services.db.begin() as session:
        earlier = digests.digest_of_thread(session, home, ref.channel_id, ref.thread_ts)
        if earlier is not None and earlier.saved_by != user_id and not is_moderator_in(
                services, session, team_id, user_id, admin=admin):
            return Saved({"body": "Another member saved this thread's digest: only they or a moderator can replace it."})
        return Saved(digest=digests.save_digest(session, home, user_id, saved, services.clock()))


def post(services: Services, team_id: str, user_id: str, digest: digests.Digest) -> None:
    """Post the digest in its thread (or update the earlier post) as its conversation's workspace; a
    failure leaves it saved and tells `user_id` through their own workspace (`team_id`)."""
    chat, message = services.chat_for(digest.team_id), blocks.build_digest_message(digest)
    try:
        ts = _update(chat, digest, message) if digest.message_ts else ""
        if not ts:
            ts = chat.post(digest.channel_id, message, thread=digest.thread_ts)
        permalink = chat.permalink(digest.channel_id, ts)
    except ChatError as error:
        log.warning("digest %s saved but not posted: %s", digest.id, error.code)
        services.chat_for(team_id).send_direct(user_id, blocks.build_not_posted(digest))
        return
    with services.db.begin() as session:
        digests.record_post(session, digest.team_id, digest.id, ts, permalink)
    log.info("digest %s posted in %s thread %s", digest.id, digest.channel_id, digest.thread_ts)


def _update(chat: Chat, digest: digests.Digest, message: m.Message) -> str:
    """Replace the digest's earlier post; "" when that post is gone and a new one is needed."""
    try:
        chat.update(digest.channel_id, digest.message_ts, message)
    except ChatError as error:
        if error.code != "message_not_found":
            raise
        return ""
    return digest.message_ts
