"""Rows as records: ISO times in UTC, people as ID plus name, a Slack permalink on each (pure)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bot.roundtables.recurrence import parse_occurrence_key

Record = dict[str, Any]
DEFAULT_BASE = "https://slack.com/"  # opens in the workspace the reader is signed in to


def iso(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""


class Links:
    """Permalinks in the form chat.getPermalink gives, built without one API call per row.

    `bases` maps a workspace to its URL (auth.test's `url`, asked once); other workspaces get
    https://slack.com/, which Slack opens in the workspace the reader is signed in to.
    """

    def __init__(self, bases: dict[str, str] | None = None) -> None:
        self.bases = {team: url.rstrip("/") + "/" for team, url in (bases or {}).items()}

    def base(self, team_id: str) -> str:
        return self.bases.get(team_id, DEFAULT_BASE)

    def message(self, team_id: str, channel_id: str, ts: str, thread_ts: str = "") -> str:
        if not channel_id or not ts:
            return ""
        link = f"{self.base(team_id)}archives/{channel_id}/p{ts.replace('.', '')}"
        if thread_ts and thread_ts != ts:
            link += f"?thread_ts={thread_ts}&cid={channel_id}"
        return link

    def channel(self, team_id: str, channel_id: str) -> str:
        return f"{self.base(team_id)}archives/{channel_id}" if channel_id else ""


class People:
    """Names for user IDs: Slack's (users.info, for the token's workspace), else the last name a
    member answered a roundtable with. Lookups are cached, at most `cache_size` of them."""

    def __init__(self, known: dict[tuple[str, str], str] | None = None,
                 lookup: Callable[[str], str] | None = None, lookup_team: str = "", cache_size: int = 10_000) -> None:
        self.known = known or {}
        self.lookup, self.lookup_team, self.cache_size = lookup, lookup_team, cache_size
        self.cache: OrderedDict[tuple[str, str], str] = OrderedDict()

    def name(self, team_id: str, user_id: str) -> str:
        if not user_id:
            return ""
        key = (team_id, user_id)
        if self.lookup is None or team_id != self.lookup_team:
            return self.known.get(key, "")
        if key in self.cache:
            self.cache.move_to_end(key)
            return self.cache[key]
        name = self.lookup(user_id) or self.known.get(key, "")
        self.cache[key] = name
        if len(self.cache) > self.cache_size:
            self.cache.popitem(last=False)
        return name

    def pair(self, who: str, team_id: str, user_id: str) -> Record:
        return {f"{who}_id": user_id or "", f"{who}_name": self.name(team_id, user_id or "")}


class Builder:
    """One function per kind: a storage row in, the record the writers take out."""

    def __init__(self, people: People, links: Links) -> None:
        self.people, self.links = people, links

    def practices(self, row: Any) -> Record:
        team = row["team_id"]
        return {
            "id": row["id"], "team_id": team, **_content(row), **self.people.pair("sharer", team, row["user_id"]),
            **self.people.pair("asked_by", team, row["asked_by"]), **self.people.pair("saved_by", team, row["saved_by"]),
            "created_at": iso(row["created_at"]), "updated_at": iso(row["updated_at"]),
            "deleted": row["deleted_at"] is not None, "deleted_at": iso(row["deleted_at"]),
            **self.people.pair("deleted_by", team, row["deleted_by"] if row["deleted_at"] else ""),
            "channel_id": row["channel_id"], "message_ts": row["message_ts"],
            "permalink": self.links.message(team, row["channel_id"], row["message_ts"]),
        }

    def practice_revisions(self, row: Any) -> Record:
        team = row["team_id"]
        return {"practice_id": row["practice_id"], "team_id": team, "number": row["number"],
                "action": row["action"], **self.people.pair("by", team, row["by_user_id"]),
                "at": iso(row["at"]), **_content(row)}

    def adoptions(self, row: Any) -> Record:
        team = row["team_id"]
        return {"id": row["id"], "team_id": team, "practice_id": row["practice_id"],
                "practice_title": row["practice_title"], "city": row["city"],
                **self.people.pair("adopter", team, row["user_id"]), "adopted_at": iso(row["created_at"]),
                "permalink": self.links.message(team, row["channel_id"], row["message_ts"])}

    def questions(self, row: Any) -> Record:
        team = row["team_id"]
        return {
            "id": row["id"], "team_id": team, "channel_id": row["channel_id"], "ts": row["ts"],
            **self.people.pair("asker", team, row["user_id"]), "text": row["text"], "status": row["status"],
            "asked_at": iso(row["asked_at"]), "updated_at": iso(row["updated_at"]),
            "accepted_answer_ts": row["answer_ts"], **self.people.pair("answered_by", team, row["answered_by"]),
            **self.people.pair("closed_by", team, row["closed_by"]), "closed_at": iso(row["closed_at"]),
            "permalink": self.links.message(team, row["channel_id"], row["ts"]),
        }

    def answers(self, row: Any) -> Record:
        team = row["team_id"]
        return {"id": row["id"], "team_id": team, "question_id": row["question_id"], "ts": row["ts"],
                **self.people.pair("answerer", team, row["user_id"]), "text": row["text"],
                "answered_at": iso(row["created_at"]), "accepted": bool(row["answer_ts"]) and row["answer_ts"] == row["ts"],
                "permalink": self.links.message(team, row["channel_id"], row["ts"], row["question_ts"])}

    def digests(self, row: Any) -> Record:
        team, channel = row["team_id"], row["channel_id"]
        link = row["permalink"] or self.links.message(team, channel, row["message_ts"] or row["thread_ts"],
                                                      row["thread_ts"])
        participants = [f"{self.people.name(team, user) or user} ({user})" for user in row["participant_ids"]]
        return {"id": row["id"], "team_id": team, "channel_id": channel, "thread_ts": row["thread_ts"],
                "title": row["title"], "body": row["body"], "participants": participants,
                "message_count": row["message_count"], **self.people.pair("saved_by", team, row["saved_by"]),
                "created_at": iso(row["created_at"]), "updated_at": iso(row["updated_at"]), "permalink": link}

    def roundtables(self, row: Any) -> Record:
        team = row["team_id"]
        return {
            "id": row["id"], "team_id": team, "channel_id": row["channel_id"], "title": row["title"],
            "agenda": row["agenda"], "starts_local": row["starts_local"], "timezone": row["timezone"],
            "rrule": row["rrule"], "duration_minutes": row["duration_minutes"],
            "cancelled_starts": list(row["cancelled_starts"] or []), "video_url": row["video_url"],
            **self.people.pair("created_by", team, row["created_by"]), "created_at": iso(row["created_at"]),
            "updated_at": iso(row["updated_at"]), "cancelled_at": iso(row["cancelled_at"]),
            "permalink": self.links.channel(team, row["channel_id"]),
            "reminder_permalinks": [self.links.message(team, channel, ts) for channel, ts in row["reminders"]],
        }

    def rsvps(self, row: Any) -> Record:
        team = row["team_id"]
        return {"roundtable_id": row["roundtable_id"], "team_id": team,
                "occurrence": iso(parse_occurrence_key(row["occurrence"])), "member_id": row["user_id"],
                "member_name": row["name"] or self.people.name(team, row["user_id"]), "answer": row["answer"],
                "answered_at": iso(row["updated_at"])}

    def roundups(self, row: Any) -> Record:
        team = row["team_id"]
        return {"id": row["id"], "team_id": team, "channel_id": row["channel_id"], "source": row["source"],
                **self.people.pair("requested_by", team, row["requested_by"]), "title": row["title"],
                "text": row["text"], "posted_at": iso(row["posted_at"]), "message_ts": row["message_ts"],
                "permalink": self.links.message(team, row["channel_id"], row["message_ts"])}


def _content(row: Any) -> Record:
    topics = row["topics"]
    return {"title": row["title"], "city": row["city"], "problem": row["problem"], "solution": row["solution"],
            "outcome": row["outcome"], "cost": row["cost"], "contact": row["contact"],
            "topics": sorted(topics.split() if isinstance(topics, str) else topics or [])}
