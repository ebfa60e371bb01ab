"""Every Web API call made for a workspace goes through `services.client_for(team_id)`: the shared
`services.client` carries SLACK_BOT_TOKEN only, which in distribution mode is no workspace's or the
host's. Only the places that mean the host workspace, or hand Bolt its base client, use it."""

from __future__ import annotations

import re

from tests.harness import ROOT

HOST_OR_BASE = {
    "bot/app.py": 2,  # Bolt's base client, and the OAuth flow's (oauth.v2.access needs no token)
    "bot/cli.py": 1,  # `roundup` names members with SLACK_BOT_TOKEN's workspace
    "bot/roundup/delivery.py": 1,  # auth.test: which workspace SLACK_BOT_TOKEN is (ROUNDUP_CHANNEL's)
    "bot/server.py": 1,  # the web library: OpenID calls (client id and secret, no bot token), host names
    "bot/teams/gate.py": 1,  # auth.test: SLACK_BOT_TOKEN's workspace is the exchange's host
}
SHARED = re.compile(r"\bservices\.(?:client|chat)\b(?!_for)")


def test_only_the_host_s_places_use_the_shared_client() -> None:
    found = {}
    for path in [*(ROOT / "bot").rglob("*.py"), *(ROOT / "handlers").rglob("*.py")]:
        uses = len(SHARED.findall(path.read_text()))
        if uses:
            found[str(path.relative_to(ROOT))] = uses
    assert found == HOST_OR_BASE
