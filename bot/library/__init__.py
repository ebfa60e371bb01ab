"""The web library: a small read-only ASGI app mounted by the edge (bot/web.py) under /library.

`GET /library` (search, newest, most adopted, by city and topic), `/library/practices/<id>`,
`/library/digests[/<id>]` (signed-in readers), Sign in with Slack at `/library/signin` and its
callback, `POST /library/signout`. With LIBRARY_PUBLIC=0 every page but the sign-in asks for a
reader signed in from an approved workspace (bot/library/access.py); with LIBRARY_PUBLIC=1
anonymous readers see the published practices of public conversations (storage/library.py).
Database work runs on the edge's thread pool; every response carries the security headers.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
import time
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from slack_sdk import WebClient

from bot.config import Settings
from bot.library import pages, signin
from bot.library.access import Workspaces
from bot.library.names import Names
from bot.library.session import (
    SESSION_COOKIE,
    SESSION_SECONDS,
    SIGNIN_COOKIE,
    SIGNIN_SECONDS,
    Signer,
    cookie,
    parse_cookies,
)
from bot.text import parse_id
from bot.topics import TOPICS, is_known, normalize_topic, topic_label
from storage import library
from storage.db import Database

log = logging.getLogger("roundtable.library")
STATIC = Path(__file__).parent / "static"
PRACTICE = re.compile(r"/library/practices/([0-9]{1,10})")
DIGEST = re.compile(r"/library/digests/([0-9]{1,10})")
NEXT = re.compile(r"/library(/[A-Za-z0-9/_-]*)?")
MAX_QUERY = 2000
OVERVIEW_SECONDS = 30.0
MAX_FIELDS = 20
Send = Callable[[dict[str, Any]], Any]


def security_headers(secure: bool) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"content-security-policy", b"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                                     b"frame-ancestors 'none'; base-uri 'none'"),
        (b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"), (b"cross-origin-opener-policy", b"same-origin"),
        (b"cross-origin-resource-policy", b"same-origin"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    ]
    if secure:
        headers.append((b"strict-transport-security", b"max-age=31536000"))
    return headers


class Library:
    def __init__(self, settings: Settings, db: Database, client: WebClient, pool: Executor,
                 now: Callable[[], float] = time.time,
                 client_for: Callable[[str], WebClient] | None = None) -> None:
        """`client_for(team_id)`: the client speaking for a workspace (Services.client_for)."""
        self.settings, self.db, self.client, self.pool, self.now = settings, db, client, pool, now
        self.workspaces = Workspaces(client)
        self.names = Names(client_for or (lambda _team: client))
        self.secure = settings.library_url.startswith("https://")
        self.can_sign_in = bool(settings.client_id and settings.client_secret and settings.secret_keys
                                and settings.library_url)
        self.sessions = Signer(settings.secret_keys, "library session")
        self.attempts = Signer(settings.secret_keys, "library sign-in")
        self._overview: dict[tuple[frozenset[str], bool], tuple[float, dict[str, Any]]] = {}

    @property
    def enabled(self) -> bool:
        return self.settings.library_public or self.can_sign_in

    @property
    def redirect_uri(self) -> str:
        return self.settings.library_url.rstrip("/") + signin.CALLBACK_PATH

    # ASGI ----------------------------------------------------------------------------------
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Send) -> None:
        path, method = scope["path"], scope["method"]
        raw_query = scope.get("query_string", b"")
        loop = asyncio.get_running_loop()
        request: Request | None = None
        if not self.enabled:
            status, headers, body = 404, [], b"Not Found\n"
        elif len(raw_query) > MAX_QUERY:
            status, headers, body = 414, [], b"URI Too Long\n"
        elif path == "/library/static/library.css" and method in ("GET", "HEAD"):
            status, headers, body = 200, [(b"content-type", b"text/css; charset=utf-8"),
                                          (b"cache-control", b"public, max-age=3600")], (STATIC / "library.css").read_bytes()
        elif method not in ("GET", "HEAD") and not (path == "/library/signout" and method == "POST"):
            status, headers, body = 405, [(b"allow", b"GET, HEAD")], b"Method Not Allowed\n"
        else:
            try:
                args = parse_qs(raw_query.decode("latin-1"), max_num_fields=MAX_FIELDS)
            except ValueError:
                args = None
            if args is None:
                status, headers, body = 400, [], b"Bad Request\n"
            else:
                cookies = parse_cookies([v.decode("latin-1") for k, v in scope["headers"] if k.lower() == b"cookie"])
                request = Request(path, args, cookies)
                status, headers, body = await loop.run_in_executor(self.pool, self.guarded, request)
        page = path.split("/")[2] if path.count("/") > 1 and path.split("/")[2] else "index"
        note = request.note if request is not None else ""
        log.info("library %s %s%s", page, status, f" ({note})" if note else "")
        if not any(name == b"content-type" for name, _ in headers):
            headers.append((b"content-type", b"text/html; charset=utf-8" if body.startswith(b"<!doctype")
                            else b"text/plain; charset=utf-8"))
        headers += security_headers(self.secure) + [(b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if method == "HEAD" else body})

    # pages (on a pool thread) ------------------------------------------------------------------
    def guarded(self, request: Request) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        """A page, or a short 503 page when the database (or Slack) fails: never a 500 or a traceback."""
        try:
            return self.respond(request)
        except Exception:  # noqa: BLE001 - logged with its traceback; the reader gets one sentence
            log.exception("library page failed")
            return self.page(503, "message.html", {"reader": None, "signin": False, "here": "/library"},
                             title="Temporarily unavailable", offer_signin=False,
                             message="The library is temporarily unavailable. Please try again in a minute.")

    def respond(self, request: Request) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        if request.path == "/library/signin":
            return self.start_signin(request)
        if request.path == signin.CALLBACK_PATH:
            return self.finish_signin(request)
        if request.path == "/library/signout":
            return 303, [(b"location", b"/library"), self.clear(SESSION_COOKIE, "/library")], b""
        teams = self.workspaces.approved_workspaces()
        reader = self.reader(request, teams)
        base = {"reader": reader, "signin": self.can_sign_in, "here": request.path}
        if reader is None and not self.settings.library_public:
            return self.page(401, "message.html", base, title="Sign in to read the library", offer_signin=self.can_sign_in,
                             message="The library is open to members of the exchange's Slack workspace.")
        public = reader is None
        found = self.load(request, teams, public)  # the unit of work ends here: no Slack call inside it
        if found is None:
            return self.page(404, "message.html", base, title="Not found", offer_signin=public and self.can_sign_in,
                             message="There is no such page in the library" + (", or it is not public." if public else "."))
        template, values = found
        if isinstance(values, library.PracticePage):
            values = self.practice(values)
        return self.page(200, template, base, public=public, **values)

    def load(self, request: Request, teams: frozenset[str], public: bool) -> tuple[str, Any] | None:
        """(template, its values) from the database, or None: no such page (for this reader)."""
        with self.db.begin() as session:
            if request.path in ("/library", "/library/"):
                return "index.html", self.index(session, teams, public, request)
            if match := PRACTICE.fullmatch(request.path):
                page = library.practice_page(session, teams, public, parse_id(match[1]) or 0)
                return ("practice.html", page) if page is not None else None
            if public:
                return None
            if request.path in ("/library/digests", "/library/digests/"):
                q = request.arg("q")
                return "digests.html", {"title": "Digests", "q": q, "digests": library.digests(session, teams, q)}
            if match := DIGEST.fullmatch(request.path):
                digest = library.digest(session, teams, parse_id(match[1]) or 0)
                if digest is not None:
                    link = digest.permalink if digest.permalink.startswith("https://") else ""
                    return "digest.html", {"title": digest.title, "digest": digest, "link": link}
        return None

    def index(self, session: Any, teams: frozenset[str], public: bool, request: Request) -> dict[str, Any]:
        q, city = request.arg("q")[:500], request.arg("city")[:120]
        typed_topic = request.arg("topic")
        topic = (normalize_topic(typed_topic) or "") if typed_topic else ""
        choices = TOPICS + ([(topic, topic_label(topic))] if topic and not is_known(topic) else [])
        values: dict[str, Any] = {"title": "Best practices", "q": q, "topic": topic, "city": city, "choices": choices,
                                  "searched": bool(q or topic or city)}
        if q.strip():
            values["results"] = library.search(session, sorted(teams), public, q, topic=topic, city=city)
        elif topic or city:
            values["results"] = library.newest(session, teams, public, topic=topic,
                                               city_key=" ".join(city.casefold().split()), limit=50)
        else:
            values.update(self.overview(session, teams, public))
        return values

    def overview(self, session: Any, teams: frozenset[str], public: bool) -> dict[str, Any]:
        """The home page's lists (aggregates over every practice), kept OVERVIEW_SECONDS per view."""
        key = (teams, public)
        kept = self._overview.get(key)
        if kept is not None and kept[0] > time.monotonic():
            return kept[1]
        values = {"newest": library.newest(session, teams, public), "adopted": library.most_adopted(session, teams, public),
                  "cities": library.by_city(session, teams, public), "topics": library.by_topic(session, teams, public)}
        self._overview[key] = (time.monotonic() + OVERVIEW_SECONDS, values)
        return values

    def practice(self, page: library.PracticePage) -> dict[str, Any]:
        p = page.practice
        fields = [(label, text) for label, text in (("The problem", p.problem), ("What was done", p.solution),
                  ("Outcome", p.outcome), ("Cost or timeline", p.cost), ("Contact", p.contact)) if text.strip()]
        sharer = self.names.name(p.team_id, p.user_id) or "a member"
        if page.sharer is not None and page.sharer.city:
            sharer += f" ({page.sharer.city})"
        link = self.names.permalink(p.team_id, p.channel_id, p.message_ts) if page.card_public else ""
        return {"title": p.title, "page": page, "fields": fields, "sharer": sharer, "card_link": link}

    def page(self, status: int, template: str, base: dict[str, Any], *, public: bool = False,
             **values: Any) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        cache = b"public, max-age=60" if public and status == 200 else b"private, no-store"
        return status, [(b"cache-control", cache)], pages.render(template, **base, **values)

    # sessions and sign-in ------------------------------------------------------------------------
    def reader(self, request: Request, teams: frozenset[str]) -> signin.Reader | None:
        if not self.can_sign_in:
            return None
        values = self.sessions.read(request.cookies.get(SESSION_COOKIE, ""), self.now())
        if values is None or values.get("team") not in teams:
            return None
        return signin.Reader(team_id=str(values["team"]), user_id=str(values.get("user", "")),
                             name=str(values.get("name", "")))

    def clear(self, name: str, path: str) -> tuple[bytes, bytes]:
        return b"set-cookie", cookie(name, "", path=path, secure=self.secure, seconds=0).encode()

    def start_signin(self, request: Request) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        if not self.can_sign_in:
            return self.page(404, "message.html", {"reader": None, "signin": False, "here": "/library"},
                             title="Not found", message="Sign-in is not set up for this library.", offer_signin=False)
        wanted = request.arg("next")
        target = wanted if NEXT.fullmatch(wanted) else "/library"  # only a library path: never another site
        url, state, nonce = signin.start(self.settings.client_id, self.settings.openid_authorize_url, self.redirect_uri)
        attempt = self.attempts.sign({"state": state, "nonce": nonce, "next": target}, self.now(), SIGNIN_SECONDS)
        set_cookie = cookie(SIGNIN_COOKIE, attempt, path=signin.CALLBACK_PATH, secure=self.secure, seconds=SIGNIN_SECONDS)
        return 302, [(b"location", url.encode()), (b"set-cookie", set_cookie.encode()),
                     (b"cache-control", b"no-store")], b""

    def finish_signin(self, request: Request) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        base = {"reader": None, "signin": self.can_sign_in, "here": "/library"}
        attempt = self.attempts.read(request.cookies.get(SIGNIN_COOKIE, ""), self.now()) if self.can_sign_in else None
        state, code = request.arg("state"), request.arg("code")
        if attempt is None or not state or not hmac.compare_digest(state, str(attempt.get("state", ""))) or not code:
            request.note = "sign-in refused: state"
            return self.page(400, "message.html", base, title="Sign-in did not complete", offer_signin=self.can_sign_in,
                             message="That sign-in link was not started here, or it expired. Please sign in again.")
        try:
            reader = signin.finish(self.client, client_id=self.settings.client_id,
                                   client_secret=self.settings.client_secret, code=code[:500],
                                   redirect_uri=self.redirect_uri, nonce=str(attempt.get("nonce", "")), now=self.now())
        except signin.SignInRefused as refused:
            request.note = f"sign-in refused: {refused}"
            return self.page(400, "message.html", base, title="Sign-in did not complete", offer_signin=True, message=str(refused))
        if reader.team_id not in self.workspaces.approved_workspaces():
            request.note = "sign-in refused: workspace not approved"
            return self.page(403, "message.html", base, title="Not an exchange workspace", offer_signin=False,
                             message="You signed in from a workspace that is not part of the exchange.")
        session = self.sessions.sign({"team": reader.team_id, "user": reader.user_id, "name": reader.name},
                                     self.now(), SESSION_SECONDS)
        request.note = f"signed in: team {reader.team_id} user {reader.user_id}"
        return 303, [(b"location", str(attempt.get("next") or "/library").encode()),
                     (b"set-cookie", cookie(SESSION_COOKIE, session, path="/library", secure=self.secure,
                                            seconds=SESSION_SECONDS).encode()),
                     self.clear(SIGNIN_COOKIE, signin.CALLBACK_PATH), (b"cache-control", b"no-store")], b""


class Request:
    def __init__(self, path: str, args: dict[str, list[str]], cookies: dict[str, str]) -> None:
        self.path, self.args, self.cookies = path, args, cookies
        self.note = ""  # what the request's one log line adds (a sign-in's outcome)

    def arg(self, name: str) -> str:
        values = self.args.get(name) or [""]
        return values[0].replace("\0", "").strip()
