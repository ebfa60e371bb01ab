"""manifest.yml is valid by Slack's published schema and declares exactly what the code handles."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "tests" / "specs" / "manifest.schema.1.0.0.json"  # vendored: tests/specs/README.md
HANDLER_SOURCES = "\n".join(p.read_text() for p in (ROOT / "handlers").rglob("*.py"))

# Bolt's `message` listeners need the message.* events for the conversation types we read.
MESSAGE_EVENTS = {"message.channels", "message.groups"}


@pytest.fixture(scope="module")
def manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


def handled(kind: str) -> set[str]:
    return set(re.findall(rf"@app\.{kind}\(\s*\"([^\"]+)\"", HANDLER_SOURCES))


def test_manifest_is_valid_by_slacks_schema(manifest: dict) -> None:
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.Draft7Validator(schema).validate(manifest)


def test_the_schema_refuses_a_broken_manifest(manifest: dict) -> None:
    """The validation above can fail: a manifest without a display name or with a misspelt section is refused."""
    validator = jsonschema.Draft7Validator(json.loads(SCHEMA.read_text()))
    assert not validator.is_valid({**manifest, "display_information": {}})
    assert not validator.is_valid({**manifest, "setings": manifest["settings"]})


def test_manifest_declares_every_slash_command_and_nothing_more(manifest: dict) -> None:
    declared = {c["command"] for c in manifest["features"].get("slash_commands", [])}
    assert declared == handled("command")


def test_manifest_declares_every_shortcut_and_nothing_more(manifest: dict) -> None:
    declared = {s["callback_id"] for s in manifest["features"].get("shortcuts", [])}
    assert declared == handled("shortcut")


def test_manifest_declares_every_event_and_nothing_more(manifest: dict) -> None:
    declared = set(manifest["settings"].get("event_subscriptions", {}).get("bot_events", []))
    expected = {e for e in handled("event") if e != "message"}
    if "message" in handled("event") or "@app.message(" in HANDLER_SOURCES:
        expected |= MESSAGE_EVENTS
    assert declared == expected


def test_interactivity_is_enabled_exactly_when_the_code_has_interactive_listeners(manifest: dict) -> None:
    interactive = bool(handled("action") | handled("view") | handled("shortcut")) or re.search(
        r"@app\.(action|view|shortcut)\(", HANDLER_SOURCES
    )
    enabled = manifest["settings"].get("interactivity", {}).get("is_enabled", False)
    assert enabled == bool(interactive)


def test_every_slash_command_points_at_the_events_endpoint(manifest: dict) -> None:
    for command in manifest["features"].get("slash_commands", []):
        assert command["url"].endswith("/slack/events")
        assert len(command["description"]) <= 100


def test_installs_come_back_to_the_redirect_path_with_the_manifest_s_scopes(manifest: dict) -> None:
    from bot.installs.flow import BOT_SCOPES, REDIRECT_PATH
    from bot.library.signin import CALLBACK_PATH

    paths = sorted("/" + url.split("://", 1)[1].split("/", 1)[1] for url in manifest["oauth_config"]["redirect_urls"])
    assert paths == sorted([REDIRECT_PATH, CALLBACK_PATH])  # installs, and the web library's sign-in
    assert list(BOT_SCOPES) == manifest["oauth_config"]["scopes"]["bot"]


def test_uninstalls_are_subscribed(manifest: dict) -> None:
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert {"app_uninstalled", "tokens_revoked"} <= events


def test_the_bot_may_read_every_conversation_it_posts_to_and_tell_public_from_private(manifest: dict) -> None:
    """The outbox looks unknown outcomes up with conversations.history: channels, private channels
    and the DMs it sends reminders and calendar files to; conversations.info needs the read scopes."""
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"channels:history", "groups:history", "im:history", "channels:read", "groups:read"} <= scopes
