"""Sign in with Slack in the emulator: the authorize page, openid.connect.token and .userInfo.

`GET /openid/connect/authorize` is Slack's consent screen, already agreed to: it sends the browser
straight back to `redirect_uri` with a one-time code and the `state` it was given, for
`openid_user` of `openid_team`. The code is exchanged once, with the client's id and secret (HTTP
Basic, as slack-sdk sends them), for an ID token carrying the `nonce` of the authorize request.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from typing import Any
from urllib.parse import parse_qsl, urlencode


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


class OpenIDMethods:
    users: dict[str, dict[str, Any]]
    openid_client: tuple[str, str] = ("", "")  # (client id, secret) the token endpoint accepts
    openid_user: str = "U0MEMBER"
    openid_team: str = ""  # "" means the emulator's TEAM_ID
    team_id: str = ""

    def authorize(self, query: str) -> str | None:
        """Where the consent screen sends the browser: redirect_uri?code=...&state=..., or None."""
        args = dict(parse_qsl(query))
        if args.get("response_type") != "code" or "openid" not in args.get("scope", "").split(","):
            return None
        if not args.get("redirect_uri", "").startswith(("http://", "https://")):
            return None
        code = secrets.token_urlsafe(16)
        self._codes = getattr(self, "_codes", {})
        self._codes[code] = {**args, "user": self.openid_user, "team": self.openid_team or self.team_id}
        return args["redirect_uri"] + "?" + urlencode({"code": code, "state": args.get("state", "")})

    def _api_openid_connect_token(self, args: dict[str, Any]) -> dict[str, Any]:
        basic = str(args.get("_basic", "")).removeprefix("Basic ")
        try:
            client_id, _, secret = base64.b64decode(basic).decode().partition(":")
        except ValueError:
            return {"ok": False, "error": "invalid_client_id"}
        if (client_id, secret) != self.openid_client or not client_id:
            return {"ok": False, "error": "invalid_client_id"}
        grant = getattr(self, "_codes", {}).pop(args.get("code", ""), None)
        if grant is None or grant.get("client_id") != client_id:
            return {"ok": False, "error": "invalid_code"}
        if grant.get("redirect_uri") != args.get("redirect_uri"):
            return {"ok": False, "error": "bad_redirect_uri"}
        user = self.users.get(grant["user"], {})
        claims = {"iss": "https://slack.com", "sub": grant["user"], "aud": client_id, "exp": int(time.time()) + 3600,
                  "iat": int(time.time()), "https://slack.com/team_id": grant["team"],
                  "https://slack.com/user_id": grant["user"], "name": user.get("real_name", "")}
        if "nonce" in grant:
            claims["nonce"] = grant["nonce"]
        token = f"xoxp-openid-{grant['user']}-{grant['team']}"
        self._openid_tokens = {**getattr(self, "_openid_tokens", {}), token: claims}
        id_token = _b64({"alg": "RS256", "typ": "JWT"}) + "." + _b64(claims) + ".c2lnbmF0dXJl"
        return {"ok": True, "access_token": token, "token_type": "Bearer", "id_token": id_token}

    def _api_openid_connect_userInfo(self, args: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        token = str(args.get("_bearer", "") or args.get("token", "")).removeprefix("Bearer ")
        claims = getattr(self, "_openid_tokens", {}).get(token)
        if claims is None:
            return {"ok": False, "error": "invalid_auth"}
        return {"ok": True, **{k: v for k, v in claims.items() if k not in ("aud", "exp", "iat", "nonce")}}
