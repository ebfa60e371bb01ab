"""Signed cookies: the reader's session and a sign-in's state and nonce, HMAC under ROUNDTABLE_SECRET_KEY.

A value is base64url(JSON) + "." + base64url(HMAC-SHA256); it is read back only when a key of
ROUNDTABLE_SECRET_KEY (newest first, so keys can rotate) signed it and its `exp` is in the future.
The HMAC key is derived from each secret key with a label, so it is never the key that encrypts
tokens elsewhere.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Sequence
from typing import Any

SESSION_COOKIE = "roundtable_library"
SIGNIN_COOKIE = "roundtable_signin"
SESSION_SECONDS = 8 * 3600
SIGNIN_SECONDS = 600
MAX_COOKIE_CHARS = 2048


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Signer:
    def __init__(self, secret_keys: Sequence[str], purpose: str) -> None:
        self.keys = [hashlib.sha256(f"roundtable {purpose}\0{key}".encode()).digest() for key in secret_keys]

    def sign(self, values: dict[str, Any], now: float, seconds: int) -> str:
        payload = _b64(json.dumps({**values, "exp": int(now) + seconds}, separators=(",", ":")).encode())
        return payload + "." + _b64(hmac.new(self.keys[0], payload.encode(), hashlib.sha256).digest())

    def read(self, value: str, now: float) -> dict[str, Any] | None:
        if not value or len(value) > MAX_COOKIE_CHARS or value.count(".") != 1:
            return None
        payload, signature = value.split(".")
        try:
            given = _unb64(signature)
            if not any(hmac.compare_digest(given, hmac.new(k, payload.encode(), hashlib.sha256).digest())
                       for k in self.keys):
                return None
            values = json.loads(_unb64(payload))
        except (ValueError, UnicodeDecodeError):
            return None
        if not isinstance(values, dict) or not isinstance(values.get("exp"), int) or values["exp"] <= now:
            return None
        return values


def cookie(name: str, value: str, *, path: str, secure: bool, seconds: int) -> str:
    """A Set-Cookie value: HttpOnly, SameSite=Lax (sent on the top-level return from Slack)."""
    flags = f"; Path={path}; Max-Age={seconds}; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
    return f"{name}={value}{flags}"


def parse_cookies(header_values: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for header in header_values:
        for part in header.split(";"):
            name, sep, value = part.strip().partition("=")
            if sep and name not in found:
                found[name] = value
    return found
