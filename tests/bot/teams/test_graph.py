"""The Graph client (bot/teams/graph.py) and its per-tenant app-only token (bot/teams/tokens.py),
against the Teams emulator's Graph: tokens per tenant, kept until five minutes before they expire;
refusals and dropped connections are ChatErrors; a next page elsewhere than Graph is not followed."""

from __future__ import annotations

from typing import Any

import pytest

from bot.chat import ChatError
from bot.config import Settings
from bot.emulator.graph import chat_message
from bot.emulator.teams import TeamsEmulator
from bot.teams.graph import read_thread
from bot.teams.tokens import GRAPH_SCOPE, ClientCredentials, graph_token_url
from tests.bot.teams.edge import APP_ID

CHANNEL, ROOT = "19:general@thread.tacv2", "1701000000000"


@pytest.fixture
def graph(microsoft: TeamsEmulator) -> Any:
    microsoft.graph.grant("group-a", "tenant-a")
    microsoft.graph.grant("group-b", "tenant-b")
    for group in ("group-a", "group-b"):
        microsoft.graph.seed(
            group,
            CHANNEL,
            chat_message(ROOT, "aad-1", "Ana Ruiz", "Root?"),
            [chat_message("1701000000001", "aad-2", "Derrick Miller", "Reply.")],
        )
    return microsoft.graph


def settings_for(microsoft: TeamsEmulator) -> Settings:
    return Settings(
        teams_app_id=APP_ID,
        teams_app_password=microsoft.password,
        teams_login_url=microsoft.login_url,
        teams_graph_url=microsoft.url,
    )


def token_for(microsoft: TeamsEmulator, tenant: str, clock: Any = None) -> ClientCredentials:
    settings = settings_for(microsoft)
    return ClientCredentials(
        settings, *([clock] if clock else []), url=graph_token_url(settings, tenant), scope=GRAPH_SCOPE
    )


def test_a_tenants_token_reads_its_own_teams_thread_and_is_kept_until_near_expiry(
    microsoft: TeamsEmulator, graph: Any
) -> None:
    now = [1000.0]
    token = token_for(microsoft, "tenant-a", lambda: now[0])
    thread, names = read_thread(microsoft.url, token, "group-a", CHANNEL, ROOT)
    assert [m["user"] for m in thread.messages] == ["aad-1", "aad-2"] and thread.complete
    assert names == {"aad-1": "Ana Ruiz", "aad-2": "Derrick Miller"}
    read_thread(microsoft.url, token, "group-a", CHANNEL, ROOT)
    assert len(graph.tokens) == 1  # kept
    now[0] += 3600 - 300
    read_thread(microsoft.url, token, "group-a", CHANNEL, ROOT)
    assert len(graph.tokens) == 2  # renewed five minutes before it expires
    with pytest.raises(ChatError) as refused:  # another tenant's team: its token is not this one
        read_thread(microsoft.url, token, "group-b", CHANNEL, ROOT)
    assert refused.value.status == 401


def test_no_consent_is_no_consent_a_missing_thread_is_not_found_and_a_dead_graph_is_dropped(
    microsoft: TeamsEmulator, graph: Any
) -> None:
    token = token_for(microsoft, "tenant-a")
    graph.granted.discard("group-a")
    with pytest.raises(ChatError) as refused:
        read_thread(microsoft.url, token, "group-a", CHANNEL, ROOT)
    assert refused.value.code == "no_consent" and refused.value.status == 403
    graph.granted.add("group-a")
    with pytest.raises(ChatError) as missing:
        read_thread(microsoft.url, token, "group-a", CHANNEL, "1699999999999")
    assert missing.value.code == "thread_not_found"
    with pytest.raises(ChatError) as dropped:
        read_thread("http://127.0.0.1:9", token, "group-a", CHANNEL, ROOT)
    assert dropped.value.dropped


def test_the_read_stops_at_the_cap_and_never_follows_a_link_off_graph(
    microsoft: TeamsEmulator, graph: Any
) -> None:
    token = token_for(microsoft, "tenant-a")
    graph.page_size = 2
    graph.seed(
        "group-a",
        CHANNEL,
        chat_message(ROOT, "aad-1", "Ana Ruiz", "Root?"),
        [chat_message(str(1701000000010 + n), "aad-2", "Derrick Miller", f"Reply {n}.") for n in range(9)],
    )
    thread, _ = read_thread(microsoft.url, token, "group-a", CHANNEL, ROOT, max_messages=5)
    assert len(thread.messages) == 5 and not thread.complete
    assert len([c for c in graph.calls if "/replies" in c]) == 2
    graph.base_url = "https://elsewhere.example.org"
    with pytest.raises(ChatError):
        read_thread(microsoft.url, token, "group-a", CHANNEL, ROOT)
