"""posted roundups keep neutral content (bot/messages.py data), not Slack's Block Kit

Revision ID: 0010_roundup_content
Revises: 0009_practice_credit

`posted_roundup.blocks` held the Block Kit that was posted; `content` holds the composed message
(parts, people, channels, links, local times) that any platform renders. Rows already posted are
read back from their blocks: headers, dividers, sections and context lines, with Slack's mentions,
channel links, links and dates turned into their parts and the rest unescaped into text.
Downgrading keeps each row's fallback text as its only block.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0010_roundup_content"
down_revision = "0009_practice_credit"
branch_labels = None
depends_on = None

SEQUENCE = re.compile(r"<(@[A-Z0-9]+|#[A-Z0-9]+|!date\^(\d+)\^([^|>]*)\|([^>]*)|(?:https?|mailto):[^|>\s]+(?:\|[^>]*)?)>")
DATES = {"{date_short}": "short", "{date_short_pretty}": "short_pretty", "{date_long_pretty}": "long_pretty"}
table = sa.table("posted_roundup", sa.column("id", sa.Integer), sa.column("text", sa.Text),
                 sa.column("blocks", sa.JSON), sa.column("content", sa.JSON))


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _text(text: str) -> dict[str, Any]:
    return {"kind": "Text", "text": _unescape(text), "style": "", "cut": 0, "fold": False}


def _inline(mrkdwn: str) -> list[dict[str, Any]]:
    out, at = [], 0
    for match in SEQUENCE.finditer(mrkdwn):
        if match.start() > at:
            out.append(_text(mrkdwn[at:match.start()]))
        body = match.group(1)
        if body.startswith("@"):
            out.append({"kind": "Mention", "user_id": body[1:]})
        elif body.startswith("#"):
            out.append({"kind": "ChannelRef", "channel_id": body[1:]})
        elif body.startswith("!date"):
            tokens = match.group(3)
            at_ = datetime.fromtimestamp(int(match.group(2)), UTC).isoformat()
            out.append({"kind": "LocalTime", "at": {"kind": "instant", "iso": at_}, "fallback": _unescape(match.group(4)),
                        "date": DATES.get(tokens.split(" ")[0], "short_pretty"), "time": "{time}" in tokens})
        else:
            url, _, label = body.partition("|")
            out.append({"kind": "Link", "url": url, "label": _text(label or url)})
        at = match.end()
    if at < len(mrkdwn):
        out.append(_text(mrkdwn[at:]))
    return out


def _part(block: dict[str, Any]) -> dict[str, Any] | None:
    kind = block.get("type")
    if kind == "header":
        return {"kind": "Heading", "text": str((block.get("text") or {}).get("text", ""))}
    if kind == "divider":
        return {"kind": "Divider"}
    if kind == "section":
        return {"kind": "Paragraph", "text": _inline(str((block.get("text") or {}).get("text", ""))), "button": None}
    if kind == "context":
        return {"kind": "Context", "elements": [_inline(str(e.get("text", ""))) for e in block.get("elements") or []]}
    return None


def content_of(text: str, blocks: Any) -> dict[str, Any]:
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    parts = [p for p in (_part(b) for b in blocks or [] if isinstance(b, dict)) if p is not None]
    return {"kind": "Message", "fallback": _inline(text or ""), "parts": parts, "unfurl": False}


def upgrade() -> None:
    with op.batch_alter_table("posted_roundup", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content", sa.JSON(), nullable=True))
    bind = op.get_bind()
    for row in bind.execute(sa.select(table.c.id, table.c.text, table.c.blocks)).all():
        bind.execute(table.update().where(table.c.id == row.id).values(content=content_of(row.text, row.blocks)))
    with op.batch_alter_table("posted_roundup", schema=None) as batch_op:
        batch_op.alter_column("content", existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column("blocks")


def downgrade() -> None:
    with op.batch_alter_table("posted_roundup", schema=None) as batch_op:
        batch_op.add_column(sa.Column("blocks", sa.JSON(), nullable=True))
    bind = op.get_bind()
    for row in bind.execute(sa.select(table.c.id, table.c.text)).all():
        blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": row.text}}] if row.text else []
        bind.execute(table.update().where(table.c.id == row.id).values(blocks=blocks))
    with op.batch_alter_table("posted_roundup", schema=None) as batch_op:
        batch_op.alter_column("blocks", existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column("content")
