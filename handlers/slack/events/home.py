"""App Home: published each time a member opens the Home tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.services import Services
from handlers.slack.home import publish_home, workspace_url


def app_home_opened(event: dict[str, Any], context: BoltContext, services: Services) -> None:
    if event.get("tab", "home") != "home":
        return
    publish_home(services, context.team_id or "", event["user"], workspace_url(context))
