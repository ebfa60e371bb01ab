"""Uninstalls: `app_uninstalled` and `tokens_revoked` remove the workspace's installation.

Its data stays (the exchange's record); its pending deliveries are skipped by the outbox, and a
reinstall picks up where it was. In single-workspace mode there is no store: the event is logged.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_bolt.listener.builtins import TokenRevocationListeners

from bot.services import Services

log = logging.getLogger("roundtable.installs")


def remove(services: Services, context: BoltContext, why: str) -> None:
    team_id = context.team_id or ""
    if services.installs is None:
        log.warning("%s for workspace %s (single-workspace mode: remove SLACK_BOT_TOKEN)", why, team_id)
        return
    TokenRevocationListeners(services.installs.store).handle_app_uninstalled_events(context)
    services.forget_client(team_id)
    log.info("%s: installation of workspace %s removed; its data stays", why, team_id)


def app_uninstalled(ack: Ack, context: BoltContext, services: Services) -> None:
    ack()
    remove(services, context, "app uninstalled")


def tokens_revoked(ack: Ack, event: dict[str, Any], context: BoltContext, services: Services) -> None:
    ack()
    if event.get("tokens", {}).get("bot"):
        remove(services, context, "bot token revoked")
    elif services.installs is not None:  # user tokens only: Roundtable asks for none
        TokenRevocationListeners(services.installs.store).handle_tokens_revoked_events(event, context)
