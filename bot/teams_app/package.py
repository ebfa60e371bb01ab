"""The Teams app package: `python -m bot teams package [--out FILE]` zips manifest.json (schema 1.29)
with the two icons beside this file (color 192x192, outline 32x32).

The bot id is TEAMS_APP_ID; the valid domain is the host of LIBRARY_URL when set (the web library,
shown as the personal tab "Home"). Commands are Slack's words, for personal, team and group chat.
One resource-specific consent (RSC) permission, granted by a team's owner when the app is added to
the team: `ChannelMessage.Read.Group` (Application), so `digest save` can read a channel thread
through Microsoft Graph, and channel questions are tracked without an @mention, as in Slack (the bot
then gets every message of the team's channels; one without a mention is never a command).
`webApplicationInfo` names the app for it (its `resource` is unused by RSC but must be set). A
message action (a messaging extension with context "message"), *Save discussion digest*, opens the
thread's digest draft from any channel message's "More actions" menu, as Slack's shortcut does.
"""

from __future__ import annotations

import json
import uuid
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

HERE = Path(__file__).parent
SCHEMA_VERSION = "1.29"
COMMANDS = [  # each answered by handlers/teams/commands.py (tests/bot/teams/test_manifest_commands.py)
    ("practice", "Share a practice (a form, or one line), or: practice search|list|mine|show|edit|delete|help"),
    ("ask", "Ask the exchange a question: ask <your question>"),
    ("roundtable", "roundtable list, schedule (a form, or one line), edit <number>, cancel <number>, ics <number>"),
    ("roundup", "roundup preview (this week's), roundup last; moderators: roundup now, roundup settings"),
    ("digest", "digest list, digest search <words>; digest save, as a reply in a channel thread: its digest"),
    ("profile", "Your role, city and expertise (a form)"),
    ("home", "What Slack's App Home shows: your questions, those for your expertise, new practices, next roundtable"),
]

RSC_PERMISSIONS = ({"name": "ChannelMessage.Read.Group", "type": "Application"},)  # a team's channel messages
RSC_RESOURCE = "api://roundtable/rsc"  # required with RSC, though unused by it
MESSAGE_ACTION = {  # a message's "More actions" menu, as Slack's shortcut (handlers/teams/digests.py)
    "id": "saveDigest", "type": "action", "context": ["message"], "fetchTask": True,
    "title": "Save discussion digest", "description": "Read this message's thread and save a digest of it",
}


def manifest(app_id: str, library_url: str = "", version: str = "0.1.0") -> dict[str, Any]:
    if not app_id:
        raise ValueError("TEAMS_APP_ID is not set: the package needs the bot's app id")
    uuid.UUID(app_id)  # ValueError when it is not the registration's GUID
    commands = [{"title": title, "description": description} for title, description in COMMANDS]
    scopes = ["personal", "team", "groupChat"]
    host = urlsplit(library_url).hostname if library_url.startswith("https://") else None
    out: dict[str, Any] = {
        "$schema": f"https://developer.microsoft.com/json-schemas/teams/v{SCHEMA_VERSION}/MicrosoftTeams.schema.json",
        "manifestVersion": SCHEMA_VERSION, "version": version, "id": app_id,
        "developer": {"name": "Roundtable", "websiteUrl": library_url if host else "https://roundtable.example.org",
                      "privacyUrl": "https://roundtable.example.org/privacy",
                      "termsOfUseUrl": "https://roundtable.example.org/terms"},
        "name": {"short": "Roundtable", "full": "Roundtable: mayors and city CIOs"},
        "description": {"short": "Share practices, ask peers, schedule roundtables.",
                        "full": "Roundtable lets mayors and city CIOs share practices, ask questions, schedule "
                                "roundtables and read digests and roundups, in Teams and in Slack."},
        "icons": {"color": "color.png", "outline": "outline.png"}, "accentColor": "#234C8C",
        "bots": [{"botId": app_id, "scopes": scopes, "supportsFiles": False, "isNotificationOnly": False,
                  "commandLists": [{"scopes": scopes, "commands": commands}]}],
        "composeExtensions": [{"botId": app_id, "commands": [MESSAGE_ACTION]}],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [host] if host else [],
        "webApplicationInfo": {"id": app_id, "resource": RSC_RESOURCE},
        "authorization": {"permissions": {"resourceSpecific": [dict(p) for p in RSC_PERMISSIONS]}},
    }
    if host:
        out["staticTabs"] = [{"entityId": "home", "name": "Home", "contentUrl": library_url,
                              "websiteUrl": library_url, "scopes": ["personal"]}]
    return out


def build(out: Path, app_id: str, library_url: str = "") -> Path:
    data = manifest(app_id, library_url)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(data, indent=2))
        for icon in ("color.png", "outline.png"):
            package.write(HERE / icon, icon)
    return out
