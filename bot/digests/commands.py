"""`digest list` and `digest search <words>`, as plain functions every platform calls.

Moved out of handlers/digests.py (`digest_command`), so Slack and Teams list and find digests with
the same queries and words. Saving a digest reads a thread's replies, which Teams does not give a
bot (no thread history API): from Teams, digests are listed and found, and saved in Slack.
"""

from __future__ import annotations

from bot import messages as m
from bot.digests import blocks
from bot.exchange import exchange_scope
from bot.services import Services
from storage import digests

SEARCH_RESULTS = 10
NONE_SAVED = m.line("No digests yet. Use ", m.bold("Save discussion digest"), " from a thread's message menu to save one.")
NONE_FOUND = m.line("No digest matches that. Try fewer or other words.")


def listing(services: Services, team_id: str, here: str = "") -> m.Message:
    with services.db.read() as session:
        found, total = digests.recent_digests(session, team_id, blocks.LIST_LIMIT, here=here)
        return blocks.build_digest_list(found, total, empty=NONE_SAVED)


def search(services: Services, team_id: str, words: str, here: str = "") -> m.Message:
    with services.db.read() as session:
        found = digests.search_digests(session, team_id, words, SEARCH_RESULTS, here=here,
                                       teams=exchange_scope(session, services.settings))
        return blocks.build_digest_list(found, len(found), heading="Digests found", empty=NONE_FOUND)
