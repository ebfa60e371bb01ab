"""Sign in with Slack (OpenID Connect): the authorize URL, then the code exchanged for who signed in.

State and nonce are random per attempt and kept in a signed, short-lived cookie; the callback
accepts a code only with the same state, and an ID token only with the same nonce, our client id
as audience and an unexpired `exp`. The ID token comes straight from Slack's token
endpoint over TLS, which OpenID Connect (Core 3.1.3.7) accepts in place of checking its signature.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.oauth import OpenIDConnectAuthorizeUrlGenerator

from bot.chat import ChatError
from bot.slack import call

SCOPES = ("openid", "profile")
TEAM_CLAIM = "https://slack.com/team_id"
CALLBACK_PATH = "/library/signin/callback"


@dataclass(frozen=True)
class Reader:
    """Who signed in."""

    team_id: str
    user_id: str
    name: str


class SignInRefused(Exception):
    """Why a sign-in cannot complete (shown to the reader in a sentence)."""


def start(client_id: str, authorize_url: str, redirect_uri: str) -> tuple[str, str, str]:
    """(url to send the reader to, state, nonce)."""
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    generator = OpenIDConnectAuthorizeUrlGenerator(client_id=client_id, redirect_uri=redirect_uri,
                                                   scopes=list(SCOPES), authorization_url=authorize_url)
    return generator.generate(state=state, nonce=nonce), state, nonce


def claims_of(id_token: str) -> dict[str, Any]:
    parts = id_token.split(".")
    if len(parts) != 3:
        raise SignInRefused("Slack's answer was not an ID token.")
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except ValueError:
        raise SignInRefused("Slack's answer was not an ID token.") from None
    if not isinstance(claims, dict):
        raise SignInRefused("Slack's answer was not an ID token.")
    return claims


def finish(client: WebClient, *, client_id: str, client_secret: str, code: str, redirect_uri: str,
           nonce: str, now: float) -> Reader:
    """Exchange `code` (openid.connect.token), check the ID token, ask openid.connect.userInfo."""
    try:
        answer = call(client.openid_connect_token, client_id=client_id, client_secret=client_secret, code=code,
                      redirect_uri=redirect_uri)
    except ChatError as error:
        if error.dropped:  # Slack unreachable or the connection dropped: nothing was stored, try again
            raise SignInRefused("Slack could not be reached; please try signing in again.") from None
        raise SignInRefused(f"Slack did not accept the sign-in ({error.code}).") from None
    claims = claims_of(str(answer.get("id_token") or ""))
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if claims.get("nonce") != nonce or client_id not in audiences:
        raise SignInRefused("That sign-in was not started here.")
    if not isinstance(claims.get("exp"), int | float) or claims["exp"] <= now:
        raise SignInRefused("That sign-in has expired.")
    team_id, user_id = str(claims.get(TEAM_CLAIM) or ""), str(claims.get("sub") or "")
    if not team_id or not user_id:
        raise SignInRefused("Slack did not say who signed in.")
    name = str(claims.get("name") or "")
    try:
        info = call(WebClient(token=str(answer.get("access_token") or ""), base_url=client.base_url,
                              timeout=client.timeout).openid_connect_userInfo)
        if info.get("sub") == user_id and info.get(TEAM_CLAIM) == team_id:
            name = str(info.get("name") or info.get("given_name") or name)
    except ChatError:
        pass  # the ID token already said who it is; the name is a courtesy
    return Reader(team_id=team_id, user_id=user_id, name=name[:80])
