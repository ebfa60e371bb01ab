"""The comparison for bench/http_load.py: the leanest app that does the SAME work as Roundtable's
`/practice search` and one-line `/practice <share>`, on Roundtable's server shape.

Stack: gunicorn's asgi worker (bot.worker.RoundtableWorker, one worker), Roundtable's ASGI edge
(bot.web.SlackEdge: size limits, signature check, then Bolt's dispatch on 8 `dispatch` threads),
a Bolt App whose listener runs on Bolt's own pool of 8 threads. No middleware, no request log,
no ORM: SQLAlchemy Core `text()` statements on one pooled engine.

The work, per command, after the ack:
- `search <words>`: one query for the top 10 (SQLite: FTS5 MATCH ranked by bm25() with
  storage/search.py's weights; PostgreSQL: `search_vector @@ plainto_tsquery` ranked by
  ts_rank(), the shape of storage/search.py's all-words query) and one `response_url` post.
- `help` (bench/request_path.py): one `response_url` post of a fixed line.
- anything else: one INSERT into `practice` (SQLite's FTS5 table kept by the migration's
  trigger, PostgreSQL's tsvectors generated), one `chat.postMessage` card in the command's
  channel and one `response_url` post.

Environment: SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_API_URL, DATABASE_URL (a database
Roundtable migrated), BENCH_COMMAND (default /practice).
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import DateTime, bindparam, create_engine, text

from bot.signing import RequestSigning
from bot.web import SlackEdge

THREADS = 8
WORD = re.compile(r"[^\W_]+")
ENGINE = create_engine(os.environ["DATABASE_URL"], pool_size=THREADS, max_overflow=THREADS)
POSTGRES = ENGINE.dialect.name == "postgresql"

SEARCH_SQLITE = text(
    "SELECT p.id, p.title, p.city FROM practice_fts JOIN practice p ON p.id = practice_fts.rowid "
    "WHERE practice_fts MATCH :match AND p.team_id = :team AND p.deleted_at IS NULL "
    "ORDER BY bm25(practice_fts, 10.0, 4.0, 2.0, 2.0, 2.0), p.id DESC LIMIT 10")
SEARCH_POSTGRES = text(
    "SELECT id, title, city FROM practice "
    "WHERE search_vector @@ plainto_tsquery('english'::regconfig, :words) AND team_id = :team "
    "AND deleted_at IS NULL "
    "ORDER BY ts_rank(search_vector, plainto_tsquery('english'::regconfig, :words)) DESC, id DESC LIMIT 10")
INSERT = text(
    "INSERT INTO practice (team_id, user_id, asked_by, saved_by, city, city_key, title, problem, solution, "
    "outcome, cost, contact, channel_id, message_ts, created_at, updated_at) VALUES (:team, :user, '', '', "
    "'', '', :title, '', :solution, '', '', '', :channel, '', :now, :now) RETURNING id",
).bindparams(bindparam("now", type_=DateTime(timezone=True)))


HELP = "`/practice search <words>` finds practices; `/practice Title. What you did.` shares one."


def mrkdwn(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def search(team: str, query: str) -> list[Any]:
    words = [w for w in WORD.findall(query.casefold())][:12]
    if not words:
        return []
    with ENGINE.connect() as conn:
        if POSTGRES:
            return list(conn.execute(SEARCH_POSTGRES, {"words": " ".join(words), "team": team}))
        match = " ".join(f'"{w}"' for w in words)
        return list(conn.execute(SEARCH_SQLITE, {"match": match, "team": team}))


def share(team: str, user: str, channel: str, line: str) -> int:
    title, _, rest = line.partition(". ")
    with ENGINE.begin() as conn:
        return int(conn.execute(INSERT, {"team": team, "user": user, "title": title[:300], "solution": rest,
                                         "channel": channel, "now": datetime.now(UTC)}).scalar_one())


app = App(
    signing_secret=os.environ["SLACK_SIGNING_SECRET"],
    client=WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]),
    listener_executor=ThreadPoolExecutor(THREADS, thread_name_prefix="listener"),
)


@app.command(os.environ.get("BENCH_COMMAND", "/practice"))
def practice(ack, command, respond, client):  # type: ignore[no-untyped-def]
    ack()
    line = command.get("text", "").strip()
    team, user, channel = command["team_id"], command["user_id"], command["channel_id"]
    if line == "help":  # bench/request_path.py: a listener that does next to nothing
        respond(response_type="ephemeral", text=HELP)
        return
    if line.startswith("search "):
        rows = search(team, line.removeprefix("search "))
        found = "\n".join(f"• *{mrkdwn(r.title)}* ({mrkdwn(r.city or 'no city')}) #{r.id}" for r in rows)
        respond(response_type="ephemeral", text=found or "No practices match.")
        return
    number = share(team, user, channel, line)
    card = f"*{mrkdwn(line)}*\nShared by <@{user}>, practice #{number}"
    client.chat_postMessage(channel=channel, text=line,
                            blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": card}}])
    respond(response_type="ephemeral", text=f"Shared as practice #{number}.")


class Ping:
    """What SlackEdge's /healthz asks of a database."""

    def ping(self) -> bool:
        with ENGINE.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True


asgi = SlackEdge(app, Ping(), RequestSigning(os.environ["SLACK_SIGNING_SECRET"]),  # type: ignore[arg-type]
                 ThreadPoolExecutor(THREADS, thread_name_prefix="dispatch"))
