"""`python -m bot installs reencrypt`: every stored token ends up under the first key, so the old
key can be dropped; a second run changes nothing; no token is ever printed."""

from __future__ import annotations

from dataclasses import replace

from cryptography.fernet import Fernet, InvalidToken

from tests.bot.test_cli import run_cli
from tests.harness import TestBot
from tests.installs import (
    BOSTON,
    CLIENT_ID,
    CLIENT_SECRET,
    DENVER,
    OLD_KEY,
    SECRET_KEY,
    install,
    stored_tokens,
)


def readable_by(key: str, token: str) -> bool:
    try:
        Fernet(key.encode()).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def test_reencrypt_moves_every_token_to_the_first_key_once_and_prints_none(distribution: TestBot) -> None:
    old = replace(distribution.settings, secret_keys=(OLD_KEY,))
    install(TestBot(old, distribution.db, distribution.emulator, distribution.clock).app, distribution.emulator, BOSTON)
    install(distribution.app, distribution.emulator, DENVER)  # already under the new key
    url = distribution.settings.database_url
    before = {table: stored_tokens(url, table) for table in ("slack_bots", "slack_installations")}
    plain = {Fernet(OLD_KEY.encode()).decrypt(row["bot_token"].encode()).decode()
             for row in before["slack_bots"] if row["team_id"] == BOSTON}
    assert plain and not any(readable_by(SECRET_KEY, row["bot_token"])
                             for row in before["slack_bots"] if row["team_id"] == BOSTON)
    env = {"DATABASE_URL": url, "SLACK_CLIENT_ID": CLIENT_ID, "SLACK_CLIENT_SECRET": CLIENT_SECRET,
           "ROUNDTABLE_SECRET_KEY": f"{SECRET_KEY},{OLD_KEY}"}

    first = run_cli("installs", "reencrypt", **env)

    assert first.returncode == 0, first.stderr
    assert "re-encrypted the tokens of 1 installation(s)" in first.stdout
    after = {table: stored_tokens(url, table) for table in before}
    for table, rows in after.items():
        assert [row["team_id"] for row in rows] == [row["team_id"] for row in before[table]]
        for row in rows:
            for column in ("bot_token", "bot_refresh_token"):
                assert row[column] is None or readable_by(SECRET_KEY, row[column]), (table, column)
    denver = [row for row in after["slack_bots"] if row["team_id"] == DENVER]
    assert denver == [row for row in before["slack_bots"] if row["team_id"] == DENVER]  # untouched

    second = run_cli("installs", "reencrypt", **env)

    assert second.returncode == 0, second.stderr
    assert "re-encrypted the tokens of 0 installation(s)" in second.stdout
    assert {table: stored_tokens(url, table) for table in before} == after
    for output in (first.stdout, first.stderr, second.stdout, second.stderr):
        assert not any(token in output for token in plain) and "xoxb-" not in output
        assert SECRET_KEY not in output and OLD_KEY not in output
    dropped = run_cli("installs", "reencrypt", **{**env, "ROUNDTABLE_SECRET_KEY": SECRET_KEY})
    assert dropped.returncode == 0 and "0 installation(s)" in dropped.stdout  # the old key is no longer needed


def test_a_token_no_key_reads_is_reported_by_team_and_left_as_it_was(distribution: TestBot) -> None:
    old = replace(distribution.settings, secret_keys=(OLD_KEY,))
    install(TestBot(old, distribution.db, distribution.emulator, distribution.clock).app, distribution.emulator, BOSTON)
    url = distribution.settings.database_url
    before = stored_tokens(url)

    result = run_cli("installs", "reencrypt", DATABASE_URL=url, SLACK_CLIENT_ID=CLIENT_ID,
                     SLACK_CLIENT_SECRET=CLIENT_SECRET, ROUNDTABLE_SECRET_KEY=SECRET_KEY)

    assert result.returncode == 1
    assert BOSTON in result.stderr and "Traceback" not in result.stderr
    assert stored_tokens(url) == before
