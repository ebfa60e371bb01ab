"""manifest.yml is valid by Slack's published schema and declares exactly what the code handles."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from handlers.slack import actions, commands, events, shortcuts, views

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "tests" / "specs" / "manifest.schema.1.0.0.json"  # vendored: tests/specs/README.md

# Bolt's `message` listeners need the message.* events for the conversation types we read.
MESSAGE_EVENTS = {"message.channels", "message.groups"}


@pytest.fixture(scope="module")
def manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


class Registrations:
    """Stands in for Bolt's App while the Slack listeners register: what each kind was registered for."""

    def __init__(self) -> None:
        self.seen: dict[str, set[str]] = {}

    def __getattr__(self, kind: str) -> Callable[[Any], Callable[[Any], Any]]:
        def constraint(value: Any, **_options: Any) -> Callable[[Any], Any]:  # matchers=, middleware=
            self.seen.setdefault(kind, set()).add(value if isinstance(value, str) else repr(value))
            return lambda listener: listener
        return constraint


@pytest.fixture(scope="module")
def registered() -> dict[str, set[str]]:
    app = Registrations()
    for kind in (commands, events, shortcuts, views):
        kind.register(app)  # type: ignore[arg-type]
    actions.register(app, exchange_requests_on=True)  # type: ignore[arg-type]
    return app.seen


def test_manifest_is_valid_by_slacks_schema(manifest: dict) -> None:
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.Draft7Validator(schema).validate(manifest)


def test_the_schema_refuses_a_broken_manifest(manifest: dict) -> None:
    """The validation above can fail: a manifest without a display name or with a misspelt section is refused."""
    validator = jsonschema.Draft7Validator(json.loads(SCHEMA.read_text()))
    assert not validator.is_valid({**manifest, "display_information": {}})
    assert not validator.is_valid({**manifest, "setings": manifest["settings"]})


def test_manifest_declares_every_slash_command_and_nothing_more(manifest: dict, registered: dict) -> None:
    declared = {c["command"] for c in manifest["features"].get("slash_commands", [])}
    assert declared == registered["command"]


def test_manifest_declares_every_shortcut_and_nothing_more(manifest: dict, registered: dict) -> None:
    declared = {s["callback_id"] for s in manifest["features"].get("shortcuts", [])}
    assert declared == registered["shortcut"]


def test_manifest_declares_every_event_and_nothing_more(manifest: dict, registered: dict) -> None:
    declared = set(manifest["settings"].get("event_subscriptions", {}).get("bot_events", []))
    expected = registered["event"] - {"message"}
    if "message" in registered["event"] or "message" in registered:
        expected |= MESSAGE_EVENTS
    assert declared == expected


def test_interactivity_is_enabled_exactly_when_the_code_has_interactive_listeners(
    manifest: dict, registered: dict
) -> None:
    interactive = any(registered.get(kind) for kind in ("action", "view", "shortcut"))
    enabled = manifest["settings"].get("interactivity", {}).get("is_enabled", False)
    assert enabled == interactive


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
