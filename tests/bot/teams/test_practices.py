"""practice share and search from Teams, over HTTP with signed activities, on both databases."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.emulator.teams import TeamsEmulator
from bot.teams.app import TeamsASGI
from handlers.teams import command_text
from storage.practices import Practice
from storage.teams_conversations import conversations_of, reference
from tests.bot.teams.edge import post, teams_app, wait_for
from tests.harness import TestBot

PERSONAL = {"conversation": "a:personal-1", "conversation_type": "personal"}
CHANNEL = {"conversation": "19:general@thread.tacv2", "conversation_type": "channel"}


def say(url: str, microsoft: TeamsEmulator, text: str, **where: str) -> dict[str, Any]:
    """Send a signed message activity; the bot's answer as the connector received it."""
    before = len(microsoft.sent)
    activity = microsoft.message(text, **where)
    assert post(url, activity, microsoft.sign(activity)) == 200
    sent = wait_for(lambda: microsoft.sent[before:])
    assert sent[0]["path"].startswith(f"/v3/conversations/{activity['conversation']['id']}/activities")
    return sent[0]["body"]


def card_text(body: dict[str, Any]) -> str:
    card = body["attachments"][0]["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    return " ".join(str(part.get("text", "")) for part in card["body"])


def test_shared_in_a_personal_chat_found_by_search_from_a_channel_mention(bot: TestBot, microsoft: TeamsEmulator,
                                                                          teams_url: str) -> None:
    shared = say(teams_url, microsoft, "practice Permits online. Residents apply for permits from home.", **PERSONAL)
    assert "Permits online" in card_text(shared)
    with bot.db.read() as session:
        practice = session.query(Practice).one()
    assert (practice.team_id, practice.user_id, practice.title) == ("tenant-1", "29:user-1", "Permits online")

    found = say(teams_url, microsoft, "<at>Roundtable</at> practice search permits", **CHANNEL)
    assert "1 practice" in found["text"] and "Permits online" in card_text(found)
    with bot.db.read() as session:
        stored = [(c.conversation_id, c.conversation_type, c.service_url) for c in conversations_of(session, "tenant-1")]
    assert stored == [("19:general@thread.tacv2", "channel", microsoft.service_url),
                      ("a:personal-1", "personal", microsoft.service_url)]


def test_an_install_stores_the_conversation_reference_and_says_nothing(bot: TestBot, microsoft: TeamsEmulator,
                                                                       teams_url: str) -> None:
    activity = {**microsoft.message("", **CHANNEL), "type": "conversationUpdate",
                "membersAdded": [{"id": f"28:{microsoft.app_id}"}]}
    activity.pop("text")
    assert post(teams_url, activity, microsoft.sign(activity)) == 200
    with bot.db.read() as session:
        found = wait_for(lambda: reference(session, "19:general@thread.tacv2"))
        assert (found.tenant_id, found.service_url) == ("tenant-1", microsoft.service_url)
    assert microsoft.sent == []


def test_a_refused_activity_stores_no_reference(bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    activity = microsoft.message("practice search permits", **PERSONAL)
    assert post(teams_url, activity, microsoft.sign(activity, aud="someone-else")) == 401
    with bot.db.read() as session:
        assert conversations_of(session, "tenant-1") == []


def test_a_bad_share_is_refused_in_words_and_stores_nothing(bot: TestBot, microsoft: TeamsEmulator,
                                                            teams_url: str) -> None:
    refused = say(teams_url, microsoft, "practice search", **PERSONAL)
    assert "Search for some words" in refused["text"]
    too_long = say(teams_url, microsoft, "practice Permits online. " + "We did it well. " * 300, **PERSONAL)
    assert "one-line share holds" in too_long["text"]
    with bot.db.read() as session:
        assert session.query(Practice).count() == 0


def test_a_slack_practice_is_not_found_from_another_tenant(bot: TestBot, microsoft: TeamsEmulator,
                                                          teams_url: str) -> None:
    """Search is scoped to the asking workspace (a tenant is one); the exchange decides what crosses."""
    bot.command("/practice", "Permits online. Residents apply from home.")
    found = say(teams_url, microsoft, "practice search permits", **PERSONAL)
    assert "No practices" in found["text"]


def test_the_mention_is_not_part_of_the_command() -> None:
    assert command_text("<at>Roundtable</at>&nbsp;practice  search <b>x</b>") == "practice search <b>x</b>"


def test_two_first_requests_initialize_the_sdk_once(microsoft: TeamsEmulator) -> None:
    teams = teams_app(microsoft)
    calls: list[int] = []
    original = teams.initialize

    async def counted() -> None:
        calls.append(1)
        await asyncio.sleep(0)
        await original()

    teams.initialize = counted  # type: ignore[method-assign]
    edge = TeamsASGI(teams)

    async def both() -> None:
        await asyncio.gather(edge.ready(), edge.ready())

    asyncio.run(both())
    assert calls == [1]
