"""The host workspace when a single-workspace deployment moves to distribution mode.

Its data is already keyed by its team_id. If SLACK_BOT_TOKEN is still set, that token is saved as
the host's installation (once, when the store has none for its workspace), so its reminders,
roundups and commands go on without anyone reinstalling; installing through /slack/install later
replaces it, as for any workspace.
"""

from __future__ import annotations

import logging
import time

from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Bot

from bot.chat import ChatError
from bot.installs import Installs
from bot.slack import call

log = logging.getLogger("roundtable.installs")


def keep_host_installed(installs: Installs, client: WebClient) -> str | None:
    """The host's team_id, saving its installation from SLACK_BOT_TOKEN if the store has none.

    None when Slack refuses the token (e.g. token_revoked after an uninstall: it stays uninstalled)
    or cannot be reached (the process starts anyway; the next start saves it)."""
    try:
        me = call(client.auth_test)
    except ChatError as error:
        if error.dropped:
            log.warning("Slack unreachable (%s): the host workspace's installation is checked at the next start",
                        error.code)
        else:
            log.warning("SLACK_BOT_TOKEN not usable for the host workspace (%s)", error.code)
        return None
    team_id = str(me["team_id"])
    if installs.store.find_bot(enterprise_id=me.get("enterprise_id") or None, team_id=team_id) is None:
        scopes = str(me.headers.get("x-oauth-scopes", "") or "")
        installs.store.save_bot(Bot(
            app_id=str(me.get("app_id") or ""), enterprise_id=me.get("enterprise_id") or None, team_id=team_id,
            team_name=me.get("team"), bot_token=str(client.token), bot_id=str(me["bot_id"]),
            bot_user_id=str(me["user_id"]), bot_scopes=scopes, installed_at=time.time(),
        ))
        log.info("host workspace %s installed from SLACK_BOT_TOKEN", team_id)
    return team_id
