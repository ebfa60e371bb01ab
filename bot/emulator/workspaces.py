"""Several workspaces in the Web API emulator: their bots, tokens, channels, and installs by OAuth.

Mixed into bot.emulator.SlackEmulator. The host workspace (TEAM_ID) answers any token Slack did
not issue here (the tests' and console's fixed tokens), as before. A workspace installed through
`/oauth/v2/authorize` and `oauth.v2.access` gets its own bot token, and Slack refuses it for
another workspace's channels and users (`channel_not_found`, `user_not_found`), so a job that
posts with the wrong workspace's token fails its test. Tokens can rotate (`token_lifetime`: each
comes with a single-use refresh token), expire (`expire_tokens`) and be revoked (`uninstall`).
"""

from __future__ import annotations

import base64
import itertools
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from bot.payloads import DEFAULT_TEAM

TEAM_ID = DEFAULT_TEAM  # the host: the team every request in bot.payloads comes from by default
HOST_BOT = ("U0ROUNDBOT", "B0ROUNDBOT")
CHANNEL_ARGS = ("channel", "channel_id")


@dataclass
class Workspace:
    team_id: str
    name: str
    bot_user_id: str
    bot_id: str
    domain: str = ""


@dataclass
class IssuedToken:
    team_id: str
    expires_at: float | None = None  # epoch seconds (Slack's clock is the real one)
    revoked: bool = False


@dataclass
class OAuthApp:
    client_id: str
    client_secret: str
    redirect_uri: str = ""  # the app's configured Redirect URL (used when the request names none)
    token_lifetime: int | None = None  # seconds; None: tokens that never expire, no refresh token
    installing_team: str = TEAM_ID  # who approves the next /oauth/v2/authorize
    installer: str = "U0INSTALLER"
    org_wide: str = ""  # an Enterprise Grid id: the next install is org-wide (no team)
    codes: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> (team, scopes), single use
    refresh_tokens: dict[str, str] = field(default_factory=dict)  # refresh token -> team, single use


class WorkspaceMethods:
    users: dict[str, dict[str, Any]]
    _numbers = itertools.count(1)

    def _init_workspaces(self) -> None:
        self.workspaces: dict[str, Workspace] = {
            TEAM_ID: Workspace(TEAM_ID, "Roundtable", *HOST_BOT, domain="roundtable")}
        self.tokens: dict[str, IssuedToken] = {}
        self.channel_teams: dict[str, str] = {}
        self.shared_channels: dict[str, frozenset[str]] = {}  # Slack Connect: channel -> every team in it
        self.oauth: OAuthApp | None = None
        self.throttled: dict[str, int] = {}  # team -> Retry-After its posts are answered with (429)

    def throttle(self, team_id: str, retry_after: int = 60) -> None:
        """Every post with `team_id`'s token is answered 429 (Retry-After) until `throttle(team, 0)`."""
        if retry_after:
            self.throttled[team_id] = retry_after
        else:
            self.throttled.pop(team_id, None)

    # test controls -------------------------------------------------------------------------
    def add_workspace(self, team_id: str, name: str) -> Workspace:
        number = next(self._numbers)
        workspace = Workspace(team_id, name, f"U0BOT{number:04d}", f"B0BOT{number:04d}",
                              domain=name.lower().replace(" ", ""))
        self.workspaces[team_id] = workspace
        return workspace

    def issue_bot_token(self, team_id: str) -> str:
        """A bot token of `team_id`, as if it had installed the app (benchmarks seed 1,000 this way)."""
        token = f"xoxb-{team_id}-{secrets.token_hex(12)}"
        self.tokens[token] = IssuedToken(team_id)
        return token

    def add_channel(self, channel: str, team: str) -> None:
        self.channel_teams[channel] = team

    def share_channel(self, channel: str, home: str, *guests: str) -> None:
        """A Slack Connect channel: owned by `home`, shared with `guests`; each one's token may act in it."""
        self.channel_teams[channel] = home
        self.shared_channels[channel] = frozenset((home, *guests))

    def oauth_app(self, client_id: str, client_secret: str, **options: Any) -> OAuthApp:
        self.oauth = OAuthApp(client_id, client_secret, **options)
        return self.oauth

    def expire_tokens(self, team_id: str) -> None:
        """Every access token of the workspace is past its expiry (as if hours went by)."""
        for token in self.tokens.values():
            if token.team_id == team_id:
                token.expires_at = time.time() - 1

    def uninstall(self, team_id: str) -> None:
        """The workspace removed the app: its tokens stop working (the test sends the event)."""
        for token in self.tokens.values():
            if token.team_id == team_id:
                token.revoked = True
        if self.oauth is not None:
            self.oauth.refresh_tokens = {k: v for k, v in self.oauth.refresh_tokens.items() if v != team_id}

    def team_of_channel(self, channel: str) -> str:
        if channel[:1] in "UW":
            return str(self.users.get(channel, {}).get("team_id", TEAM_ID))
        return self.channel_teams.get(channel, TEAM_ID)

    # per call ------------------------------------------------------------------------------
    def _caller(self, token: str) -> tuple[str, dict[str, Any] | None]:
        """(team, refusal): the workspace a token speaks for, or Slack's answer refusing it."""
        issued = self.tokens.get(token)
        if issued is None:
            return TEAM_ID, None
        if issued.revoked:
            return issued.team_id, {"ok": False, "error": "token_revoked"}
        if issued.expires_at is not None and issued.expires_at <= time.time():
            return issued.team_id, {"ok": False, "error": "token_expired"}
        return issued.team_id, None

    def _foreign(self, team: str, method: str, args: dict[str, Any]) -> dict[str, Any] | None:
        """Slack's answer when a call reaches into another workspace than its token's. In a shared
        channel each workspace in it may act, and reach the others' members (users.info cannot)."""
        reach = {team}
        for name in CHANNEL_ARGS:
            channel = str(args.get(name) or "")
            teams = self.shared_channels.get(channel, {self.team_of_channel(channel)})
            if channel and team not in teams:
                return {"ok": False, "error": "channel_not_found"}
            reach |= teams if channel else set()
        users = [u for u in str(args.get("user") or args.get("users") or "").split(",") if u]
        if any(u in self.users and self.users[u].get("team_id", TEAM_ID) not in reach for u in users):
            return {"ok": False, "error": "user_not_found"}
        return None

    def _identity(self, team: str) -> dict[str, Any]:
        workspace = self.workspaces.get(team) or self.workspaces[TEAM_ID]
        return {"ok": True, "url": f"https://{workspace.domain}.slack.com/", "team": workspace.name,
                "user": "roundtable", "team_id": workspace.team_id, "user_id": workspace.bot_user_id,
                "bot_id": workspace.bot_id, "app_id": "A0ROUNDTBL"}

    def _team_info(self, team: str, args: dict[str, Any]) -> dict[str, Any]:
        """team.info: the caller's workspace, or (`team`) another one it shares a channel with."""
        asked = str(args.get("team") or team)
        workspace = self.workspaces.get(asked)
        if workspace is None or (asked != team and not any(
                {asked, team} <= teams for teams in self.shared_channels.values())):
            return {"ok": False, "error": "team_not_found"}
        return {"ok": True, "team": {"id": workspace.team_id, "name": workspace.name, "domain": workspace.domain}}

    # OAuth ---------------------------------------------------------------------------------
    def authorize_redirect(self, query: dict[str, str]) -> tuple[int, str]:
        """GET /oauth/v2/authorize: the installing member approves; (status, Location or reason)."""
        app = self.oauth
        if app is None or query.get("client_id") != app.client_id:
            return 400, "invalid_client_id"
        code = secrets.token_hex(8)
        app.codes[code] = (app.installing_team, query.get("scope", ""))
        target = query.get("redirect_uri") or app.redirect_uri
        return 302, f"{target}?{urlencode({'code': code, 'state': query.get('state', '')})}"

    def _oauth_v2_access(self, args: dict[str, Any], basic: str) -> dict[str, Any]:
        app = self.oauth
        client_id, _, secret = base64.b64decode(basic or "").decode().partition(":") if basic else ("", "", "")
        client_id, secret = client_id or args.get("client_id", ""), secret or args.get("client_secret", "")
        if app is None or (client_id, secret) != (app.client_id, app.client_secret):
            return {"ok": False, "error": "invalid_client_id" if app is None or client_id != app.client_id
                    else "bad_client_secret"}
        if args.get("grant_type") == "refresh_token":
            team = app.refresh_tokens.pop(str(args.get("refresh_token", "")), None)
            if team is None:
                return {"ok": False, "error": "invalid_refresh_token"}
            return {"ok": True, **self._issue(app, team), "team": {"id": team}, "enterprise": None}
        granted = app.codes.pop(str(args.get("code", "")), None)
        if granted is None:
            return {"ok": False, "error": "invalid_code"}
        team, scopes = granted
        workspace = self.workspaces[team]
        if app.org_wide:
            return {"ok": True, **self._issue(app, team), "scope": scopes, "bot_user_id": workspace.bot_user_id,
                    "app_id": "A0ROUNDTBL", "team": None, "enterprise": {"id": app.org_wide, "name": "Grid"},
                    "authed_user": {"id": app.installer}, "is_enterprise_install": True}
        return {"ok": True, **self._issue(app, team), "scope": scopes,
                "bot_user_id": workspace.bot_user_id, "app_id": "A0ROUNDTBL",
                "team": {"id": team, "name": workspace.name}, "enterprise": None,
                "authed_user": {"id": app.installer}, "is_enterprise_install": False}

    def _issue(self, app: OAuthApp, team: str) -> dict[str, Any]:
        rotating = app.token_lifetime is not None
        token = ("xoxe.xoxb-" if rotating else "xoxb-") + f"{team}-{secrets.token_hex(12)}"
        expires = time.time() + app.token_lifetime if app.token_lifetime is not None else None
        self.tokens[token] = IssuedToken(team, expires_at=expires)
        issued: dict[str, Any] = {"access_token": token, "token_type": "bot"}
        if rotating:
            refresh = f"xoxe-1-{secrets.token_hex(16)}"
            app.refresh_tokens[refresh] = team
            issued.update(refresh_token=refresh, expires_in=app.token_lifetime)
        return issued
