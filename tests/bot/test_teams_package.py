"""`python -m bot teams package`: the zip holds a manifest valid against Microsoft's published schema
(tests/vendor/teams, v1.29) and the two icons at their sizes."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest

from bot.teams_app.package import manifest

SCHEMA = json.loads((Path(__file__).parents[1] / "vendor" / "teams" / "MicrosoftTeams.schema.json").read_text())
# The file says draft-04 but uses `const` (draft 6+), which draft-04 validators ignore: check as draft 7.
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)
APP_ID = "3f1c6a2e-8a4b-4c2d-9e1f-5b6a7c8d9e0f"


@pytest.mark.parametrize("library_url", ["", "https://library.roundtable.example.org/"])
def test_the_manifest_is_valid_against_the_published_schema(library_url: str) -> None:
    data = manifest(APP_ID, library_url)
    VALIDATOR.validate(data)
    words = [c["title"] for c in data["bots"][0]["commandLists"][0]["commands"]]
    assert words == ["practice", "ask", "roundtable", "roundup", "digest", "profile", "home"]


def test_a_wrong_manifest_fails_the_schema() -> None:
    data = manifest(APP_ID)
    data["manifestVersion"] = "1.0"  # the const
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(data)
    del data["manifestVersion"]
    data["bots"][0]["botId"] = "not a guid"
    assert len(list(VALIDATOR.iter_errors(data))) >= 2


def test_the_command_writes_the_zip(tmp_path: Path) -> None:
    out = tmp_path / "app.zip"
    env = {"TEAMS_APP_ID": APP_ID, "PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    done = subprocess.run([sys.executable, "-m", "bot", "teams", "package", "--out", str(out)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        VALIDATOR.validate(json.loads(package.read("manifest.json")))
        sizes = {name: struct.unpack(">II", package.read(name)[16:24]) for name in ("color.png", "outline.png")}
    assert sizes == {"color.png": (192, 192), "outline.png": (32, 32)}


def test_without_an_app_id_it_says_so_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "app.zip"
    done = subprocess.run([sys.executable, "-m", "bot", "teams", "package", "--out", str(out)],
                          env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "TEAMS_APP_ID" in done.stderr and not out.exists()


def test_the_package_asks_for_the_teams_channel_messages_by_rsc() -> None:
    """Resource-specific consent for a team's channel messages (digest save reads a thread through
    Graph), application type, with the webApplicationInfo RSC requires; still valid by the schema."""
    data = manifest(APP_ID)
    assert data["webApplicationInfo"]["id"] == APP_ID and data["webApplicationInfo"]["resource"]
    assert data["authorization"]["permissions"]["resourceSpecific"] == [
        {"name": "ChannelMessage.Read.Group", "type": "Application"}]
    VALIDATOR.validate(data)
    data["authorization"]["permissions"]["resourceSpecific"][0]["type"] = "Owner"
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(data)
