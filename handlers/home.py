"""App Home: published each time a member opens the Home tab."""

from __future__ import annotations

from slack_bolt import App, BoltContext

from bot.chat import ChatError
from bot.exchange_requests import home_parts, pending_requests
from bot.home import HomeContext, compose_home
from bot.services import Services
from bot.slack import SlackChat
from handlers.errors import guarded

_urls: dict[str, str] = {}  # team_id -> https://NAME.slack.com/, learned once per process


def workspace_url(context: BoltContext) -> str:
    """The workspace's https://NAME.slack.com/ for message links: from the authorization when it
    has it (OAuth installs), else from one auth.test per process."""
    result = context.get("authorize_result")
    url = getattr(result, "url", None) if result is not None else None
    team_id = context.team_id or ""
    if url or team_id in _urls:
        return url or _urls[team_id]
    try:
        _urls[team_id] = SlackChat(context.client).workspace().url
    except ChatError:
        return ""
    return _urls[team_id]


def publish_home(services: Services, team_id: str, user_id: str, workspace_url: str = "") -> None:
    moderator = services.is_moderator(team_id, user_id)
    asking = home_parts(pending_requests(services, team_id)) if moderator and services.installs else ()
    with services.db.begin() as session:
        home = compose_home(session, HomeContext(team_id, user_id, services.clock(), moderator, workspace_url, asking))
    services.chat_for(team_id).publish_home(user_id, home)


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    @guarded
    def on_home_opened(event: dict, context: BoltContext) -> None:
        if event.get("tab", "home") != "home":
            return
        publish_home(services, context.team_id or "", event["user"], workspace_url(context))
