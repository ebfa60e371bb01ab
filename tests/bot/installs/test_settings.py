"""Distribution mode's settings: when it is on, what it needs, and what a mistake says."""

from __future__ import annotations

import pytest

from bot.config import DEFAULT_AUTHORIZE_URL, ConfigError, load_settings
from tests.installs import CLIENT_ID, CLIENT_SECRET, OLD_KEY, SECRET_KEY

DISTRIBUTION = {"SLACK_CLIENT_ID": CLIENT_ID, "SLACK_CLIENT_SECRET": CLIENT_SECRET, "SLACK_SIGNING_SECRET": "s"}


def test_distribution_mode_needs_no_bot_token_but_a_secret_key() -> None:
    settings = load_settings({**DISTRIBUTION, "ROUNDTABLE_SECRET_KEY": f"{SECRET_KEY}, {OLD_KEY}"})
    assert settings.distribution
    assert settings.secret_keys == (SECRET_KEY, OLD_KEY)
    assert settings.authorize_url == DEFAULT_AUTHORIZE_URL
    settings.require_slack()  # no SLACK_BOT_TOKEN: fine
    with pytest.raises(ConfigError, match="^ROUNDTABLE_SECRET_KEY is not set"):
        load_settings(DISTRIBUTION).require_slack()


def test_single_workspace_mode_is_as_before() -> None:
    settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"})
    assert not settings.distribution
    settings.require_slack()
    with pytest.raises(ConfigError, match="^SLACK_BOT_TOKEN is not set"):
        load_settings({"SLACK_SIGNING_SECRET": "s", "ROUNDTABLE_SECRET_KEY": SECRET_KEY}).require_slack()


@pytest.mark.parametrize(("given", "missing"), [("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"),
                                                 ("SLACK_CLIENT_SECRET", "SLACK_CLIENT_ID")])
def test_half_of_the_client_credentials_names_the_other_half(given: str, missing: str) -> None:
    with pytest.raises(ConfigError, match=f"^{missing} is not set"):
        load_settings({given: DISTRIBUTION[given]})


def test_a_malformed_key_is_named_by_its_place_never_shown() -> None:
    with pytest.raises(ConfigError, match="key 2 of 2") as raised:
        load_settings({**DISTRIBUTION, "ROUNDTABLE_SECRET_KEY": f"{SECRET_KEY},not-a-key-but-secret"})
    assert "not-a-key-but-secret" not in str(raised.value) and SECRET_KEY not in str(raised.value)


def test_secrets_are_not_in_the_settings_repr() -> None:
    settings = load_settings({**DISTRIBUTION, "ROUNDTABLE_SECRET_KEY": SECRET_KEY})
    assert CLIENT_SECRET not in repr(settings) and SECRET_KEY not in repr(settings)


@pytest.mark.parametrize("url", ["http://slack.example.gov/oauth/v2/authorize", "slack.com/oauth"])
def test_the_authorize_url_must_be_https(url: str) -> None:
    with pytest.raises(ConfigError, match="^SLACK_AUTHORIZE_URL"):
        load_settings({"SLACK_AUTHORIZE_URL": url})
    govslack = "https://slack-gov.com/oauth/v2/authorize"
    assert load_settings({"SLACK_AUTHORIZE_URL": govslack}).authorize_url == govslack


def test_socket_mode_cannot_serve_installs() -> None:
    settings = load_settings({**DISTRIBUTION, "ROUNDTABLE_SECRET_KEY": SECRET_KEY, "SLACK_APP_TOKEN": "xapp-1"})
    with pytest.raises(ConfigError, match="^SLACK_APP_TOKEN"):
        settings.require_slack(socket_mode=True)


@pytest.mark.parametrize("token", ["xoxb-1-abc", "xoxe.xoxb-1-MTIzNDU2", "xoxe-1-My0xLTEyMzQ1Ng", "xapp-1-A1"])
def test_a_token_that_slips_into_a_log_line_is_masked_whole(token: str) -> None:
    import logging

    from bot.logs import RedactSecrets

    record = logging.LogRecord("t", logging.INFO, __file__, 1, "refreshed: %s.", (token,), None)
    RedactSecrets().filter(record)
    assert record.getMessage() == "refreshed: [redacted]."
