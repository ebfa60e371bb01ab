"""A roundtable's calendar file as a link the bot serves, for Teams (`roundtable ics 3`).

A Teams bot cannot just send a file: it needs a consent card in a personal chat and an upload to
the member's OneDrive; a card holds no file either. So Teams gets a link to
`LIBRARY_URL/calendar/<token>.ics` (LIBRARY_URL is where `serve` is public), served by the same edge
as `/api/messages` from the roundtable as it is now (an edit shows in the next download; a
calendar that subscribes to the link follows it). The token names the workspace and roundtable and
is signed (HMAC-SHA256 under a key derived from TEAMS_APP_PASSWORD): a forged or altered one gets
404, as does a roundtable cancelled since.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from bot.config import Settings
from bot.roundtables import ics
from bot.services import Services
from storage.roundtables import get_roundtable

PATH = "/calendar/"
TOKEN = re.compile(r"([A-Za-z0-9_-]{1,200})\.([0-9]{1,10})\.([A-Za-z0-9_-]{24})\.ics")
Answer = tuple[int, bytes, list[tuple[bytes, bytes]]]  # status, body, headers: what the edge sends


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _signature(secret: str, team: str, roundtable_id: int) -> str:
    key = hashlib.sha256(b"roundtable calendar link\0" + secret.encode()).digest()
    return _b64(hmac.new(key, f"{team}.{roundtable_id}".encode(), hashlib.sha256).digest()[:18])


def link(settings: Settings, team_id: str, roundtable_id: int) -> str:
    """The roundtable's calendar URL; "" when the bot has no public URL or no key to sign with."""
    if not (settings.library_url and settings.teams_app_password):
        return ""
    team = _b64(team_id.encode())
    return (f"{settings.library_url.rstrip('/')}{PATH}{team}.{roundtable_id}."
            f"{_signature(settings.teams_app_password, team, roundtable_id)}.ics")


def read(settings: Settings, path: str) -> tuple[str, int] | None:
    """The workspace and roundtable a calendar path names, when its signature is the bot's own."""
    found = TOKEN.fullmatch(path.removeprefix(PATH)) if path.startswith(PATH) else None
    if found is None or not settings.teams_app_password:
        return None
    team, number, signature = found[1], int(found[2]), found[3]
    if not hmac.compare_digest(signature, _signature(settings.teams_app_password, team, number)):
        return None
    try:
        return base64.urlsafe_b64decode(team + "=" * (-len(team) % 4)).decode(), number
    except ValueError:
        return None


NOT_FOUND: Answer = (404, b"Not Found\n", [(b"content-type", b"text/plain; charset=utf-8")])


def serve(services: Services, path: str) -> Answer:
    """GET /calendar/<token>.ics: the .ics of a roundtable still scheduled, or 404."""
    named = read(services.settings, path)
    if named is None:
        return NOT_FOUND
    with services.db.read() as session:
        roundtable = get_roundtable(session, named[0], named[1])
        if roundtable is None or roundtable.cancelled_at is not None:
            return NOT_FOUND
        body, name = ics.build_ics(roundtable, services.clock()), ics.filename(roundtable)
    return 200, body, [(b"content-type", b"text/calendar; charset=utf-8"), (b"cache-control", b"no-store"),
                       (b"content-disposition", f'attachment; filename="{name}"'.encode())]
