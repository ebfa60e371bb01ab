"""Bolt's OAuth flow for distribution mode: /slack/install, /slack/oauth_redirect, and who a request's
bot is. The pages tell the installer what happens next; none of them shows a token or an error's
details (the reason is one of Bolt's short codes, escaped)."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize
from slack_bolt.error import BoltError
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.installs import Installs, NotInstalled
from storage.installations import STATE_SECONDS, UnreadableToken

log = logging.getLogger("roundtable.installs")

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
# manifest.yml's oauth_config.scopes.bot (tests/test_manifest.py keeps them in step)
BOT_SCOPES = ("commands", "chat:write", "users:read", "channels:history", "groups:history", "im:history",
              "channels:read", "groups:read", "reactions:read", "reactions:write", "im:write", "files:write")

FAILURES = {
    "access_denied": "The install was cancelled in Slack, so nothing was installed.",
    "invalid_browser": "This install was started in another browser (or its cookie is gone). "
                       f'Start again from <a href="{INSTALL_PATH}">{INSTALL_PATH}</a> in this browser.',
    "invalid_state": "This install link has expired or was already used. "
                     f'Start again from <a href="{INSTALL_PATH}">{INSTALL_PATH}</a>.',
    "invalid_code": f'Slack did not confirm the install. Start again from <a href="{INSTALL_PATH}">{INSTALL_PATH}</a>.',
    "storage_error": "The install could not be saved. Please try again in a minute.",
}
NOT_INSTALLED = ("Roundtable isn't installed in this workspace (or was removed). A workspace admin can add "
                 "it from Roundtable's install page; everything your workspace shared before is kept.")
UNAVAILABLE = "Roundtable cannot reach its database right now. Please try again in a minute."
NEXT_STEPS = (
    "Invite the bot to the channels it should follow: <code>/invite @Roundtable</code>.",
    "Share what worked in your city with <code>/practice</code>; find what others did with "
    "<code>/practice search</code>.",
    "Mayors' questions in those channels are tracked until answered; <code>/ask</code> asks one.",
    "A moderator chooses when and where the weekly roundup goes: <code>/roundup settings</code>.",
)


class InstalledBotAuthorize(Authorize):
    """A request's bot from the installation store, refreshed first if it is about to expire."""

    def __init__(self, installs: Installs) -> None:
        self.installs = installs

    def __call__(self, *, context: BoltContext, enterprise_id: str | None, team_id: str | None,
                 user_id: str | None, **_actor: Any) -> AuthorizeResult | None:
        try:
            bot = self.installs.bot_for(team_id, enterprise_id)
        except NotInstalled:
            log.warning("request from workspace %s, which has not installed Roundtable", team_id)
            return None
        except (SlackTokenRotationError, UnreadableToken) as error:
            log.error("no usable token for workspace %s: %s", team_id, type(error).__name__)
            return None
        except SQLAlchemyError as error:  # the database is down: the listener says so (handlers/errors.py)
            log.warning("installation of %s not readable: %s", team_id, type(error).__name__)
            return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id)
        return AuthorizeResult(enterprise_id=bot.enterprise_id, team_id=bot.team_id, bot_id=bot.bot_id,
                               bot_user_id=bot.bot_user_id, bot_token=bot.bot_token,
                               bot_scopes=bot.bot_scopes, user_id=user_id)


class OrgWideInstall(BoltError):
    """An Enterprise Grid org-wide install: nothing is stored (one workspace at a time, for now)."""


ORG_WIDE = ("Roundtable is installed one workspace at a time: an org-wide install on Enterprise Grid is "
            "not supported yet, so nothing was installed. Ask an admin to install it in your city's "
            f'workspace instead, from <a href="{INSTALL_PATH}">{INSTALL_PATH}</a>.')


class InstallFlow(OAuthFlow):
    """Bolt's flow; a database that is down gives a page saying so, never a 500."""

    installs: Installs
    on_installed: Callable[[str], None] | None = None  # records the workspace in the exchange (bot/exchange.py)

    def handle_installation(self, request: BoltRequest) -> BoltResponse:
        try:
            return super().handle_installation(request)
        except Exception as error:  # noqa: BLE001 - the state could not be stored
            log.warning("install not started: %s", type(error).__name__)
            return _page(503, "Roundtable is unavailable", f"<h1>Roundtable is unavailable</h1><p>{UNAVAILABLE}</p>")

    def store_installation(self, request: BoltRequest, installation: Installation) -> None:
        if installation.is_enterprise_install or not installation.team_id:
            log.warning("org-wide install refused (enterprise %s)", installation.enterprise_id)
            raise OrgWideInstall("org-wide install")
        try:
            super().store_installation(request, installation)
            if self.on_installed is not None:
                self.on_installed(installation.team_id or "")
        except Exception as error:  # noqa: BLE001 - Bolt answers a BoltError with the failure page
            raise BoltError(f"installation not saved: {type(error).__name__}") from None
        self.installs.forget(installation.team_id or "")  # a reinstall's new token, at once


def install_flow(settings: Settings, installs: Installs, client: WebClient,
                 on_installed: Callable[[str], None] | None = None) -> InstallFlow:
    flow = InstallFlow(client=client, logger=log, settings=oauth_settings(settings, installs))
    flow.installs, flow.on_installed = installs, on_installed
    return flow


def oauth_settings(settings: Settings, installs: Installs) -> OAuthSettings:
    return OAuthSettings(
        client_id=settings.client_id, client_secret=settings.client_secret, scopes=list(BOT_SCOPES),
        install_path=INSTALL_PATH, redirect_uri_path=REDIRECT_PATH, install_page_rendering_enabled=False,
        authorization_url=settings.authorize_url, installation_store=installs.store,
        state_store=installs.states, state_expiration_seconds=STATE_SECONDS,
        callback_options=CallbackOptions(success=installed_page, failure=failed_page), logger=log,
    )


def installed_page(args: SuccessArgs) -> BoltResponse:
    installation = args.installation
    log.info("installed in workspace %s by %s", installation.team_id, installation.user_id)
    team = html.escape(installation.team_name or "your workspace")
    steps = "".join(f"<li>{step}</li>" for step in NEXT_STEPS)
    body = (f"<h1>Roundtable is installed in {team}</h1><p>What happens next:</p><ol>{steps}</ol>"
            "<p>If Roundtable was here before, everything your workspace shared is still there. "
            "You can close this page and go back to Slack.</p>")
    return _page(200, "Roundtable is installed", body)


def failed_page(args: FailureArgs) -> BoltResponse:
    log.warning("install failed: %s", args.reason)
    if isinstance(args.error, OrgWideInstall):
        return _page(400, "Roundtable was not installed", f"<h1>Roundtable was not installed</h1><p>{ORG_WIDE}</p>")
    message = FAILURES.get(args.reason) or (
        f"The install did not complete ({html.escape(args.reason)}). "
        f'Start again from <a href="{INSTALL_PATH}">{INSTALL_PATH}</a>.')
    return _page(args.suggested_status_code, "Roundtable was not installed",
                 f"<h1>Roundtable was not installed</h1><p>{message}</p>")


def _page(status: int, title: str, body: str) -> BoltResponse:
    document = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
                f"<body>{body}</body></html>")
    return BoltResponse(status=status, body=document, headers={"Content-Type": "text/html; charset=utf-8"})
