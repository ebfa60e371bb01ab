"""The export's kinds and columns: one list that the writers, the zip's README and the docs share.

Times are ISO 8601 in UTC (`2026-03-02T15:00:00Z`), empty when there is none. People are two
columns, `<who>_id` (the Slack user ID) and `<who>_name`. List columns are JSON arrays in the
JSON document and items joined by "; " in CSV.
"""

from __future__ import annotations

from dataclasses import dataclass

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Kind:
    name: str  # the JSON key and the CSV file's stem
    about: str
    columns: tuple[tuple[str, str], ...]  # (column, meaning)
    lists: tuple[str, ...] = ()  # columns that hold lists

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.columns]


def person(who: str, meaning: str) -> tuple[tuple[str, str], tuple[str, str]]:
    return (f"{who}_id", f"Slack user ID of {meaning}"), (f"{who}_name", f"name of {meaning}, \"\" when unknown")


WHERE = (("team_id", "Slack workspace ID"), ("channel_id", "Slack channel ID"))
CONTENT = (("title", "title"), ("city", "city it comes from"), ("problem", "the problem"),
           ("solution", "what was done"), ("outcome", "the outcome"), ("cost", "cost or timeline"),
           ("contact", "contact"), ("topics", "topics (slugs)"))

KINDS = (
    Kind("practices", "Practices as they stand now, deleted ones included and marked.", (
        ("id", "practice number (as in /practice show N)"), WHERE[0], *CONTENT,
        *person("sharer", "the member who shared it (who answered, for a saved answer)"),
        *person("asked_by", "the asker of the question it was saved from"),
        *person("saved_by", "the member who saved it from an answer"),
        ("created_at", "when it was shared"), ("updated_at", "when it last changed"),
        ("deleted", "true when deleted in Slack (hidden from members, kept for the record)"),
        ("deleted_at", "when it was deleted"), *person("deleted_by", "the member who deleted it"),
        ("channel_id", "channel of its card"), ("message_ts", "Slack ts of its card"),
        ("permalink", "link to its card in Slack"),
    ), lists=("topics",)),
    Kind("practice_revisions", "Every version of every practice: the share, each edit, the deletion.", (
        ("practice_id", "practice number"), WHERE[0], ("number", "1 for the share, then one per change"),
        ("action", "shared, edited or deleted"), *person("by", "the member who made the change"),
        ("at", "when"), *CONTENT,
    ), lists=("topics",)),
    Kind("adoptions", "Cities that adopted a practice (once per city).", (
        ("id", "adoption number"), WHERE[0], ("practice_id", "practice number"),
        ("practice_title", "the practice's current title"), ("city", "the adopting city"),
        *person("adopter", "the member who pressed Adopt this practice"), ("adopted_at", "when"),
        ("permalink", "link to the practice's card"),
    )),
    Kind("questions", "Questions tracked in channels or asked with /ask.", (
        ("id", "question number"), *WHERE, ("ts", "Slack ts of the question"), *person("asker", "the asker"),
        ("text", "the question as asked (plain text)"), ("status", "open, answered_pending, answered or closed"),
        ("asked_at", "when it was asked"), ("updated_at", "when its record last changed"),
        ("accepted_answer_ts", "Slack ts of the accepted answer"),
        *person("answered_by", "the author of the accepted answer"),
        *person("closed_by", "the member who confirmed or closed it"), ("closed_at", "when"),
        ("permalink", "link to the question in Slack"),
    )),
    Kind("answers", "Thread replies to questions from members other than the asker.", (
        ("id", "answer number"), WHERE[0], ("question_id", "question number"), ("ts", "Slack ts of the reply"),
        *person("answerer", "the member who replied"), ("text", "the reply (plain text)"),
        ("answered_at", "when"), ("accepted", "true for the question's accepted answer"),
        ("permalink", "link to the reply in its thread"),
    )),
    Kind("digests", "Discussion digests saved from threads.", (
        ("id", "digest number"), *WHERE, ("thread_ts", "Slack ts of the thread"), ("title", "title"),
        ("body", "the digest as saved"), ("participants", "the thread's participants, as \"name (ID)\""),
        ("message_count", "messages in the thread when saved"), *person("saved_by", "the member who saved it"),
        ("created_at", "when first saved"), ("updated_at", "when last saved"),
        ("permalink", "link to the digest's post in the thread (or to the thread)"),
    ), lists=("participants",)),
    Kind("roundtables", "Scheduled roundtable meetings.", (
        ("id", "roundtable number"), *WHERE, ("title", "title"), ("agenda", "agenda"),
        ("starts_local", "first start, local wall-clock time"), ("timezone", "IANA time zone of the start"),
        ("rrule", "RFC 5545 repeat rule, \"\" for once"), ("duration_minutes", "length"),
        ("cancelled_starts", "local starts called off"), ("video_url", "video link"),
        *person("created_by", "the moderator who scheduled it"), ("created_at", "when"),
        ("updated_at", "when it last changed"), ("cancelled_at", "when the series was cancelled"),
        ("permalink", "link to its channel"),
        ("reminder_permalinks", "links to the reminders posted for it in the period"),
    ), lists=("cancelled_starts", "reminder_permalinks")),
    Kind("rsvps", "Members' answers for one meeting of a roundtable.", (
        ("roundtable_id", "roundtable number"), WHERE[0], ("occurrence", "the meeting's start"),
        *person("member", "the member (name as shown on the reminder)"), ("answer", "going, maybe or no"),
        ("answered_at", "when last answered"),
    )),
    Kind("roundups", "Weekly roundups as posted.", (
        ("id", "roundup number"), *WHERE, ("source", "schedule, now (/roundup now) or cli"),
        *person("requested_by", "the moderator who asked for it (\"\" when scheduled)"),
        ("title", "title"), ("text", "the roundup as posted (text fallback)"), ("posted_at", "when"),
        ("message_ts", "Slack ts of the post"), ("permalink", "link to the post"),
    )),
)
BY_NAME = {kind.name: kind for kind in KINDS}


def readme() -> str:
    """The README.txt placed in the CSV zip (and the source of the README's column tables)."""
    lines = [f"Roundtable records export, schema version {SCHEMA_VERSION}.", "",
             "One CSV file per kind, UTF-8, a header row first. Times are ISO 8601 in UTC; people are",
             "an ID column and a name column; list columns join their items with \"; \".", ""]
    for kind in KINDS:
        lines += [f"{kind.name}.csv: {kind.about}"]
        lines += [f"  {name}: {meaning}" for name, meaning in kind.columns]
        lines.append("")
    return "\n".join(lines)
