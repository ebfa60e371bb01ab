"""App Home: the workspace's URL for message links, and the tab as a member sees it."""

from __future__ import annotations

from slack_bolt import BoltContext

from bot.chat import ChatError
from bot.home import home_for
from bot.services import Services
from bot.slack import SlackChat


def workspace_url(context: BoltContext) -> str:
    """The workspace's https://NAME.slack.com/ for message links: from the authorization when it
    has it (OAuth installs), else from one auth.test per app (the cache ProvideServices keeps)."""
    result = context.get("authorize_result")
    url = getattr(result, "url", None) if result is not None else None
    team_id = context.team_id or ""
    known: dict[str, str] = context.get("workspace_urls", {})
    if url or team_id in known:
        return url or known[team_id]
    try:
        known[team_id] = SlackChat(context.client).workspace().url
    except ChatError:
        return ""
    return known[team_id]


def publish_home(services: Services, team_id: str, user_id: str, workspace_url: str = "") -> None:
    services.chat_for(team_id).publish_home(user_id, home_for(services, team_id, user_id, workspace_url))
