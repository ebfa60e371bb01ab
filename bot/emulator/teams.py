"""Microsoft's part in tests: Bot Framework's OpenID metadata, signing keys and Bot Connector.

`GET /openidconfiguration` and `GET /keys` are what the Teams SDK's token validator reads (the
keys URL is the metadata URL with `/keys` in place of `/openidconfiguration`). `sign(activity)`
makes the bearer token Bot Framework puts on an incoming activity: RS256 over `iss`, `aud`,
`serviceurl`, `nbf`, `exp`, with this emulator's key (or a stranger's, for tests of refusals).
The connector paths record what the bot sent: POST /v3/conversations/{id}/activities (replies
too), PUT and DELETE .../activities/{activityId}, POST /v3/conversations, GET
.../members/{userId} (from `members`), GET .../pagedmembers (from `roster`), each with the bearer
token it carried (`auth`). The token endpoint (`token_url`) gives the bot its own token for
TEAMS_APP_ID and `password` (client credentials); with `check_tokens`, connector calls without one
of those tokens get 401. Microsoft Graph's channel-thread paths and each tenant's token endpoint for
the Graph scope (`login_url`/<tenant>) are `graph` (bot/emulator/graph.py).
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, unquote

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.emulator.graph import GRAPH_SCOPE, Graph
from bot.emulator.local import LocalServer

ISSUER = "https://api.botframework.com"
TEAM_GROUP = "6b0c1a2d-0000-4000-8000-00000000aa01"  # the AAD group id of the tests' team


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class TeamsEmulator(LocalServer):
    """Start with `with TeamsEmulator(app_id) as ms:`; `ms.url` is its base URL."""

    def __init__(self, app_id: str, issuer: str = ISSUER, password: str = "secret") -> None:
        self.app_id, self.issuer, self.password = app_id, issuer, password
        self.members: dict[str, str] = {}  # user id -> name, for the members API
        self.roster: list[dict[str, str]] = []  # {"id", "name", "aadObjectId"}: the paged members API
        self.issued: list[str] = []  # the bot tokens the token endpoint gave
        self.check_tokens = False
        self.key, self.kid = new_key(), "emulator-key-1"
        self.sent: list[dict[str, Any]] = []  # {"method", "path", "body"} per connector call
        self.fail_next: list[int] = []  # statuses to answer the next connector calls with (0: drop)
        self.latency = 0.0  # seconds before each connector call is answered (recorded first)
        self._lock = threading.Lock()
        self._listen(self._handler_class())
        self.graph = Graph(self.url)

    @property
    def openid_metadata_url(self) -> str:
        return self.url + "/openidconfiguration"

    @property
    def token_url(self) -> str:
        return self.url + "/botframework.com/oauth2/v2.0/token"

    @property
    def login_url(self) -> str:
        """TEAMS_LOGIN_URL: Entra ID's authority, each tenant's token endpoint below it."""
        return self.url

    @property
    def service_url(self) -> str:
        return self.url + "/"

    def keys_document(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "use": "sig", "kid": self.kid, "alg": "RS256"}]}

    def sign(self, activity: dict[str, Any], *, key: rsa.RSAPrivateKey | None = None, kid: str | None = None,
             now: float | None = None, **claims: Any) -> str:
        """The bearer token for `activity`, as Bot Framework signs it; `claims` override any claim."""
        issued = time.time() if now is None else now
        payload = {"iss": self.issuer, "aud": self.app_id, "serviceurl": activity.get("serviceUrl", ""),
                   "nbf": int(issued) - 5, "iat": int(issued), "exp": int(issued) + 3600, **claims}
        return jwt.encode(payload, key or self.key, algorithm="RS256", headers={"kid": kid or self.kid})

    def message(self, text: str, *, conversation: str = "19:general@thread.tacv2", user: str = "29:user-1",
                tenant: str = "tenant-1", conversation_type: str = "channel", mention: bool = True,
                group_id: str = TEAM_GROUP) -> dict[str, Any]:
        """A message activity as Teams sends one to the bot. In a channel it @mentions the bot (the
        `<at>` in the text and the mention entity) unless `mention` is False: with its RSC permission
        the bot gets every channel message; and says which team (`channelData.team.aadGroupId`)."""
        bot = {"id": f"28:{self.app_id}", "name": "Roundtable"}
        activity: dict[str, Any] = {
            "type": "message", "id": secrets.token_hex(8), "text": text, "channelId": "msteams",
            "serviceUrl": self.service_url, "timestamp": "2026-12-02T12:00:00.000Z",
            "from": {"id": user, "name": "A Mayor", "aadObjectId": "00000000-0000-0000-0000-000000000001"},
            "recipient": bot,
            "conversation": {"id": conversation, "conversationType": conversation_type, "tenantId": tenant},
            "channelData": {"tenant": {"id": tenant}},
        }
        if conversation_type == "channel":
            activity["channelData"]["team"] = {"id": "19:team@thread.tacv2", "aadGroupId": group_id}
            if mention:
                activity["entities"] = [{"type": "mention", "text": "<at>Roundtable</at>", "mentioned": bot}]
                if "<at>" not in text:
                    activity["text"] = f"<at>Roundtable</at> {text}"
        return activity

    def token(self, form: dict[str, str], tenant: str = "botframework.com") -> tuple[int, dict[str, Any]]:
        """Entra ID's client-credentials answer, for this app's id and password only: a Bot Connector
        token, or (scope Graph, at a tenant's endpoint) a Graph token for that tenant."""
        if (form.get("grant_type"), form.get("client_id"), form.get("client_secret")) != (
                "client_credentials", self.app_id, self.password):
            return 401, {"error": "invalid_client"}
        if form.get("scope") == GRAPH_SCOPE:
            if tenant == "botframework.com":
                return 400, {"error": "invalid_request", "error_description": "Graph: the tenant's endpoint"}
            return 200, self.graph.token(tenant)
        issued = jwt.encode({"aud": "https://api.botframework.com", "appid": self.app_id,
                             "exp": int(time.time()) + 3600, "jti": secrets.token_hex(8)}, self.key, algorithm="RS256")
        with self._lock:
            self.issued.append(issued)
        return 200, {"token_type": "Bearer", "expires_in": 3600, "access_token": issued}

    def _record(self, method: str, path: str, body: Any, auth: str = "") -> tuple[int, dict[str, Any]]:
        with self._lock:
            if self.check_tokens and auth.removeprefix("Bearer ") not in self.issued:
                return 401, {"error": {"code": "Unauthorized", "message": "no valid bot token"}}
            if self.fail_next:
                status = self.fail_next.pop(0)
                if status == 0 or status < 400:  # 0: the send happened, the answer is lost
                    self.sent.append({"method": method, "path": path, "body": body, "auth": auth})
                return status, {"error": {"code": "Emulated", "message": "emulated failure"}}
            if method == "GET" and "/pagedmembers" in path:
                return 200, self._roster_page(path)
            if method == "GET":
                user = path.rstrip("/").split("/")[-1]
                found = "/members/" in path and self.members.get(unquote(user))
                return (200, {"id": unquote(user), "name": found}) if found else (404, {"error": {"code": "NotFound"}})
            self.sent.append({"method": method, "path": path, "body": body, "auth": auth})
        parts = path.strip("/").split("/")
        if method == "POST" and parts == ["v3", "conversations"]:
            return 201, {"id": "a:" + secrets.token_hex(8), "serviceUrl": self.service_url}
        if method == "DELETE":
            return 200, {}
        return (200 if method == "PUT" else 201), {"id": parts[-1] if method == "PUT" else secrets.token_hex(8)}

    def _roster_page(self, path: str) -> dict[str, Any]:
        """GET .../pagedmembers: `roster` a page at a time (pageSize, continuationToken)."""
        query = dict(parse_qsl(path.partition("?")[2]))
        size, start = max(1, int(query.get("pageSize") or 500)), int(query.get("continuationToken") or 0)
        page: dict[str, Any] = {"members": self.roster[start:start + size]}
        if start + size < len(self.roster):
            page["continuationToken"] = str(start + size)
        return page

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet in tests
                pass

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                if self.path == "/openidconfiguration":
                    self._answer(200, {"issuer": emulator.issuer, "jwks_uri": emulator.url + "/keys",
                                       "id_token_signing_alg_values_supported": ["RS256"]})
                elif self.path == "/keys":
                    self._answer(200, emulator.keys_document())
                elif self.path.startswith("/v3/"):
                    self._connector("GET")
                elif self.path.startswith("/v1.0/"):
                    status, body = emulator.graph.get(self.path, self.headers.get("authorization") or "")
                    if status == 0:
                        self.close_connection = True
                        self.connection.close()
                        return
                    self._answer(status, body)
                else:
                    self._answer(404, {})

            def _connector(self, method: str) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                if method == "POST" and self.path.endswith("/oauth2/v2.0/token"):
                    tenant = unquote(self.path.strip("/").split("/")[0])
                    self._answer(*emulator.token(dict(parse_qsl(raw.decode())), tenant))
                    return
                status, body = emulator._record(method, self.path, json.loads(raw) if raw else None,
                                                self.headers.get("authorization") or "")
                if emulator.latency:
                    time.sleep(emulator.latency)
                if status == 0:
                    self.close_connection = True
                    self.connection.close()
                    return
                self._answer(status, body)

            def do_POST(self) -> None:  # noqa: N802
                self._connector("POST")

            def do_PUT(self) -> None:  # noqa: N802
                self._connector("PUT")

            def do_DELETE(self) -> None:  # noqa: N802
                self._connector("DELETE")

        return Handler
