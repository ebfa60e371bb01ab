"""The global middlewares' plain functions (handlers/slack/middleware.py)."""

from __future__ import annotations

from handlers.slack.middleware import Plain, log_request, without_nul


def test_nul_characters_go_from_every_value_nested_or_not() -> None:
    body = {"text": "a\x00b", "n": 1, "view": {"state": {"values": [{"v": "\x00x"}, "y"]}}, "k\x00": "kept"}
    assert without_nul(body) == {"text": "ab", "n": 1, "view": {"state": {"values": [{"v": "x"}, "y"]}},
                                 "k\x00": "kept"}
    assert body["text"] == "a\x00b"  # the original is not changed: strip_nul replaces the body's contents


def test_a_body_without_nul_comes_back_as_the_same_object() -> None:
    """Nothing to strip (nearly every request): no copy of the body is built, and none compared."""
    body = {"text": "plain", "view": {"state": {"values": [{"v": "x"}]}}, "n": None}
    assert without_nul(body) is body


def test_a_plain_middleware_is_named_after_its_function() -> None:
    middleware = Plain(log_request)
    assert middleware.name == "Plain(log_request)" and middleware.name is middleware.name
