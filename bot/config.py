"""One settings object, read once from the environment and `.env`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from dotenv import load_dotenv

from bot.settings_checks import (
    DEFAULT_API_URL,
    DEFAULT_AUTHORIZE_URL,
    KEYGEN,
    ConfigError,
    validate_api_url,
    validate_authorize_url,
    validate_client,
    validate_cron,
    validate_database_url,
    validate_endpoint,
    validate_flag,
    validate_log_level,
    validate_nudge_days,
    validate_port,
    validate_secret_keys,
    validate_team_ids,
    validate_test_url,
    validate_timezone,
    validate_url,
    validate_user_ids,
)

DEFAULT_DATABASE_URL = "sqlite:///roundtable.db"
DEFAULT_OPENID_AUTHORIZE_URL = "https://slack.com/openid/connect/authorize"
DEFAULT_GRAPH_URL = "https://graph.microsoft.com"


@dataclass(frozen=True)
class Settings:
    bot_token: str = field(default="", repr=False)
    signing_secret: str = field(default="", repr=False)
    app_token: str = field(default="", repr=False)
    api_url: str = DEFAULT_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    moderator_user_ids: frozenset[str] = frozenset()
    roundup_channel: str = ""
    roundup_cron: str = "0 9 * * mon"
    timezone: str = "America/New_York"
    log_level: str = "INFO"
    host: str = "0.0.0.0"
    port: int = 3000
    question_nudge_days: int = 3
    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    authorize_url: str = DEFAULT_AUTHORIZE_URL
    secret_keys: tuple[str, ...] = field(default=(), repr=False)
    library_public: bool = False
    library_url: str = ""
    openid_authorize_url: str = DEFAULT_OPENID_AUTHORIZE_URL
    teams_app_id: str = ""
    teams_app_password: str = field(default="", repr=False)
    teams_tenant_id: str = ""  # "" = multi-tenant
    teams_openid_metadata_url: str = ""  # test only: "" = Bot Framework's
    teams_token_issuer: str = ""  # test only: "" = https://api.botframework.com
    teams_token_url: str = ""  # test only: "" = Entra ID's token endpoint for the bot's own token
    teams_graph_url: str = DEFAULT_GRAPH_URL  # Microsoft Graph: reading a channel thread for a digest
    teams_login_url: str = ""  # test only: "" = Entra ID's authority, where each tenant's Graph token is asked
    exchange_team_ids: frozenset[str] = frozenset()  # approved on install
    exchange_host_team_id: str = ""  # default: the first workspace installed

    @property
    def teams(self) -> bool:
        """Serving Microsoft Teams at POST /api/messages (TEAMS_APP_ID and TEAMS_APP_PASSWORD set)."""
        return bool(self.teams_app_id and self.teams_app_password)

    @property
    def distribution(self) -> bool:
        """Installed by many workspaces through OAuth (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set)."""
        return bool(self.client_id and self.client_secret)

    def require_teams(self) -> None:
        """Serving Teams needs both credentials, or neither (the app package needs only the id)."""
        if bool(self.teams_app_id) != bool(self.teams_app_password):
            missing = "TEAMS_APP_PASSWORD" if self.teams_app_id else "TEAMS_APP_ID"
            raise ConfigError(f"{missing} is not set: serving Teams needs both TEAMS_APP_ID and "
                              "TEAMS_APP_PASSWORD (the bot's Microsoft app id and client secret), or neither")

    def require_slack(self, *, socket_mode: bool = False, receives_requests: bool = True) -> None:
        """Fail fast when a command that talks to Slack lacks its credentials."""
        if self.distribution:
            _require_distribution(self, socket_mode=socket_mode)
        else:
            _require_token("SLACK_BOT_TOKEN", self.bot_token, "xoxb-")
        if socket_mode:
            _require_token("SLACK_APP_TOKEN", self.app_token, "xapp-")
        elif receives_requests and not self.signing_secret:
            raise ConfigError(
                "SLACK_SIGNING_SECRET is not set: copy the Signing Secret from your Slack app's "
                "Basic Information page into .env"
            )


def _require_token(name: str, value: str, prefix: str) -> None:
    if not value:
        raise ConfigError(f"{name} is not set: put the app's {prefix}... token into .env (see README)")
    if not value.startswith(prefix):
        raise ConfigError(f"{name} must start with {prefix!r}: check that you copied the right token")


def _require_distribution(settings: Settings, *, socket_mode: bool) -> None:
    if not settings.secret_keys:
        raise ConfigError("ROUNDTABLE_SECRET_KEY is not set: distribution mode (SLACK_CLIENT_ID) encrypts "
                          f"the workspaces' tokens with it; make one with {KEYGEN}")
    if socket_mode:
        raise ConfigError("SLACK_APP_TOKEN is set, but distribution mode (SLACK_CLIENT_ID) installs over "
                          "HTTP (/slack/install): unset SLACK_APP_TOKEN and serve HTTP")
    if settings.bot_token:  # optional here: the host workspace's token, kept from single-workspace mode
        _require_token("SLACK_BOT_TOKEN", settings.bot_token, "xoxb-")


def load_settings(environ: Mapping[str, str] | None = None, dotenv: bool = True) -> Settings:
    """Build Settings from `environ` (default: the process environment plus `.env`)."""
    if environ is None:
        if dotenv:
            load_dotenv(override=False)
        environ = os.environ

    def get(name: str, default: str = "") -> str:
        return environ.get(name, default).strip() or default

    client_id, client_secret = validate_client(get("SLACK_CLIENT_ID"), get("SLACK_CLIENT_SECRET"))
    return Settings(
        bot_token=get("SLACK_BOT_TOKEN"),
        signing_secret=get("SLACK_SIGNING_SECRET"),
        app_token=get("SLACK_APP_TOKEN"),
        api_url=validate_api_url(get("SLACK_API_URL", DEFAULT_API_URL)),
        database_url=validate_database_url(get("DATABASE_URL", DEFAULT_DATABASE_URL)),
        moderator_user_ids=validate_user_ids(get("MODERATOR_USER_IDS")),
        roundup_channel=get("ROUNDUP_CHANNEL"),
        roundup_cron=validate_cron(get("ROUNDUP_CRON", "0 9 * * mon")),
        timezone=validate_timezone(get("BOT_TIMEZONE", "America/New_York")),
        log_level=validate_log_level(get("LOG_LEVEL", "INFO")),
        host=get("HOST", "0.0.0.0"),
        port=validate_port(get("PORT", "3000")),
        question_nudge_days=validate_nudge_days(get("QUESTION_NUDGE_DAYS", "3")),
        client_id=client_id,
        client_secret=client_secret,
        authorize_url=validate_authorize_url(get("SLACK_AUTHORIZE_URL", DEFAULT_AUTHORIZE_URL)),
        secret_keys=validate_secret_keys(get("ROUNDTABLE_SECRET_KEY")),
        library_public=validate_flag("LIBRARY_PUBLIC", get("LIBRARY_PUBLIC", "0")),
        library_url=validate_url("LIBRARY_URL", get("LIBRARY_URL")),
        openid_authorize_url=validate_endpoint("SLACK_OPENID_AUTHORIZE_URL", get(
            "SLACK_OPENID_AUTHORIZE_URL", DEFAULT_OPENID_AUTHORIZE_URL), f"e.g. {DEFAULT_OPENID_AUTHORIZE_URL}"),
        teams_app_id=get("TEAMS_APP_ID"),
        teams_app_password=get("TEAMS_APP_PASSWORD"),
        teams_tenant_id=get("TEAMS_TENANT_ID"),
        teams_openid_metadata_url=validate_test_url("TEAMS_OPENID_METADATA_URL", get("TEAMS_OPENID_METADATA_URL")),
        teams_token_issuer=validate_test_url("TEAMS_TOKEN_ISSUER", get("TEAMS_TOKEN_ISSUER")),
        teams_token_url=validate_test_url("TEAMS_TOKEN_URL", get("TEAMS_TOKEN_URL")),
        teams_graph_url=validate_endpoint("TEAMS_GRAPH_URL", get("TEAMS_GRAPH_URL", DEFAULT_GRAPH_URL),
                                          f"e.g. {DEFAULT_GRAPH_URL}").rstrip("/"),
        teams_login_url=validate_test_url("TEAMS_LOGIN_URL", get("TEAMS_LOGIN_URL")).rstrip("/"),
        exchange_team_ids=validate_team_ids(get("EXCHANGE_TEAM_IDS")),
        exchange_host_team_id=get("EXCHANGE_HOST_TEAM_ID").strip(),
    )
