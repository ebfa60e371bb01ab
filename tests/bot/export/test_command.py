"""`python -m bot export` as an operator runs it: a subprocess, a file, names and links from Slack."""

from __future__ import annotations

import json
import zipfile

from bot.emulator import SlackEmulator
from storage.db import Database
from tests.bot.export.dataset import COWNIE, MILLER, NAMES, TEAM, load
from tests.bot.test_cli import run_cli
from tests.harness import BOT_TOKEN


def test_the_cli_writes_the_file_with_slack_names_and_workspace_links(
        tmp_path, db: Database, database_url: str, emulator: SlackEmulator) -> None:
    load(db)
    for user, name in NAMES.items():
        emulator.add_user(user, real_name=name, profile={"display_name": name})
    out = tmp_path / "exports" / "records.zip"
    out.parent.mkdir()
    result = run_cli("export", "--format", "csv", "--team", TEAM, "--out", str(out), DATABASE_URL=database_url,
                     SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=emulator.api_url)
    assert result.returncode == 0, result.stderr
    assert "exported 18 records to" in result.stderr  # TEAM's public records in the dataset
    assert "\r" not in result.stderr  # no progress off a terminal
    assert BOT_TOKEN not in result.stderr + result.stdout
    with zipfile.ZipFile(out) as archive:
        practices = archive.read("practices.csv").decode()
    assert f"{MILLER},Derrick Miller" in practices
    assert "https://roundtable.slack.com/archives/C0GENERAL/p1772463600000100" in practices
    assert len(emulator.calls_to("auth.test")) == 1
    asked = [call.args["user"] for call in emulator.calls_to("users.info")]
    assert sorted(asked) == sorted(set(asked)) and set(NAMES) <= set(asked)  # each member asked once
    assert list(out.parent.iterdir()) == [out]  # no temporary file left behind


def test_json_goes_to_standard_output_without_slack(db: Database, database_url: str) -> None:
    load(db)
    result = run_cli("export", "--since", "2026-03-01", "--until", "2026-06-30", DATABASE_URL=database_url)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["export"]["since"] == "2026-03-01T00:00:00Z" and document["export"]["until"] == "2026-07-01T00:00:00Z"
    assert "Snow routes" not in result.stdout  # shared in July
    names = {r["member_id"]: r["member_name"] for r in document["records"]["rsvps"]}
    assert names == {MILLER: "Derrick Miller", COWNIE: "Frank Cownie"}  # names the RSVPs kept


def test_bad_options_get_one_line_and_status_2(tmp_path, db: Database, database_url: str) -> None:
    out = tmp_path / "x.json"
    for args, says, lines in ((["--include-private"], "--include-private needs --team", 1),
                              (["--since", "2026-06-01", "--until", "2026-03-01"], "--since is after --until", 1),
                              (["--team", "T0NOBODY"], "no records of workspace T0NOBODY", 1),
                              (["--since", "March"], "not a date", None),  # argparse: its usage, then the error
                              (["--format", "xml"], "invalid choice", None)):
        result = run_cli("export", *args, "--out", str(out), DATABASE_URL=database_url)
        assert result.returncode == 2, args
        assert says in result.stderr.strip().splitlines()[-1] and "Traceback" not in result.stderr
        assert lines is None or len(result.stderr.strip().splitlines()) == lines, result.stderr
    assert not out.exists()


def test_an_unwritable_destination_or_a_database_that_is_down_is_one_line(tmp_path) -> None:
    database_url = f"sqlite:///{tmp_path}/r.db"
    result = run_cli("export", "--out", str(tmp_path / "missing" / "x.json"), DATABASE_URL=database_url)
    assert (result.returncode, result.stderr.count("Traceback")) == (1, 0)
    assert "roundtable export: failed: No such file or directory" in result.stderr
    down = run_cli("export", DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:9/none")
    assert (down.returncode, down.stderr.count("Traceback")) == (2, 0), down.stderr  # as every command says it
    assert "DATABASE_URL=postgresql+psycopg://nobody@127.0.0.1:9/none cannot be opened" in down.stderr
