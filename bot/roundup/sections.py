"""The roundup's sections, each built from a few bounded queries, composed as neutral lists
(bot/messages.py): what each line says, who and where; rendering escapes and fits them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.dates import local_day_and_time
from bot.messages import (
    ChannelRef,
    Inline,
    Items,
    Link,
    LocalTime,
    Mention,
    Segment,
    Text,
    bold,
    code,
    line,
    listed,
)
from bot.roundtables.meetings import series
from storage import activity, digests, question_activity
from storage.roundtables import shown_roundtables

TITLE_CHARS = 120  # a practice or digest title in a roundup line
QUESTION_CHARS = 150
NEW_PRACTICES, MOST_ADOPTED, WAITING, ANSWERED, DIGESTS, MEETINGS = 10, 5, 5, 5, 5, 5
AHEAD = timedelta(days=14)  # how far ahead "next roundtables" looks
CITY_CHARS = 60
PRACTICE_HINT = line(code("/practice list"))
ROUNDTABLE_HINT = line(code("/roundtable list"))
DIGEST_HINT = line(code("/digest list"))
QUESTION_HINT = line("Roundtable's Home tab lists them")
Section = Items


@dataclass
class Week:
    """What a roundup needs to know about its period; filled in by the section builders."""

    team_id: str
    start: datetime
    end: datetime
    sections: list[Section] = field(default_factory=list)
    practices_shared: int = 0
    adoptions: int = 0  # practices adopted by at least one more city during the week
    digests_saved: int = 0
    questions_asked: int = 0
    questions_answered: int = 0
    first_answer_waits: list[timedelta] = field(default_factory=list)
    cities: set[str] = field(default_factory=set)


def bold_title(text: str) -> Text:
    return bold(text, cut=TITLE_CHARS, fold=True)


def city(text: str) -> Text:
    return Text(text, cut=CITY_CHARS)


def bullet(*pieces: Segment | str) -> Inline:
    return line("• ", *pieces)


def people(user_ids: list[str]) -> Inline:
    return listed([Mention(u) for u in user_ids], last=", ")


def cities(count: int) -> str:
    return f"{count} {'city' if count == 1 else 'cities'}"


def new_practices(session: Session, week: Week) -> None:
    week.practices_shared = activity.count_new_practices(session, week.team_id, week.start, week.end)
    if not week.practices_shared:
        return
    lines = []
    for p in activity.new_practices(session, week.team_id, week.start, week.end, NEW_PRACTICES):
        where = [" · ", city(p.city)] if p.city else []
        adopted = f" · adopted by {cities(p.adoptions)}" if p.adoptions else ""
        by = (" · shared by ", Mention(p.user_id)) if p.team_id == week.team_id else (
            " · from another workspace, ", code(f"/practice show {p.id}"))
        lines.append(bullet(bold_title(p.title), *where, *by, adopted))
    week.sections.append(Section("New practices this week", tuple(lines), week.practices_shared - len(lines),
                                 PRACTICE_HINT))


def most_adopted(session: Session, week: Week) -> None:
    ranked, week.adoptions = activity.most_adopted(session, week.team_id, week.start, week.end, MOST_ADOPTED)
    if not ranked:
        return
    lines = tuple(
        bullet(bold_title(p.title), *([" (", city(p.city), ")"] if p.city else []),
               f": adopted by {cities(p.adoptions_this_week)} this week, {cities(p.adoptions)} in all")
        for p in ranked
    )
    week.sections.append(Section("Most adopted", lines, week.adoptions - len(lines), PRACTICE_HINT))


def active_cities(session: Session, week: Week) -> None:
    week.cities |= activity.active_cities(session, week.team_id, week.start, week.end)
    week.cities |= question_activity.question_cities(session, week.team_id, week.start, week.end)


def quoted(text: str) -> tuple[Segment | str, ...]:
    return "\u201c", Text(text, cut=QUESTION_CHARS, fold=True), "\u201d"


def waiting_days(asked_at: datetime, now: datetime) -> str:
    days = (now - asked_at).days
    return "asked today" if days < 1 else f"waiting {days} {'day' if days == 1 else 'days'}"


def waiting_questions(session: Session, week: Week) -> None:
    waiting, total = question_activity.waiting_from_mayors(session, week.team_id, WAITING)
    if not waiting:
        return
    lines = []
    for item in waiting:
        q = item.question
        where = [" (", city(item.city), ")"] if item.city else []
        experts = [" · suggested: ", *people(item.experts[:3])] if item.experts else []
        lines.append(bullet(Mention(q.user_id), *where, f", {waiting_days(q.asked_at, week.end)}: ", *quoted(q.text),
                            " in ", ChannelRef(q.channel_id), *experts))
    week.sections.append(Section("Mayors' questions waiting longest", tuple(lines), total - len(lines),
                                 QUESTION_HINT))


def answered_questions(session: Session, week: Week) -> None:
    week.questions_asked = question_activity.count_asked(session, week.team_id, week.start, week.end)
    week.first_answer_waits = question_activity.first_answer_waits(session, week.team_id, week.start, week.end)
    answered, week.questions_answered = question_activity.answered_between(
        session, week.team_id, week.start, week.end, ANSWERED)
    if not answered:
        return
    lines = tuple(bullet(*quoted(q.text), " asked by ", Mention(q.user_id), *([", answered by ", Mention(by)] if by else []))
                  for q, by in answered)
    week.sections.append(Section("Answered this week", lines, week.questions_answered - len(lines),
                                 QUESTION_HINT))


def saved_digests(session: Session, week: Week) -> None:
    found, week.digests_saved = digests.digests_saved_between(
        session, week.team_id, week.start, week.end, DIGESTS)
    if not found:
        return
    lines = []
    for digest in found:
        title = Text(digest.title, cut=TITLE_CHARS, fold=True)
        link: Segment = Link(digest.permalink, title) if digest.permalink else bold_title(digest.title)
        lines.append(bullet(link, " in ", ChannelRef(digest.channel_id), " · saved by ", Mention(digest.saved_by)))
    week.sections.append(Section("Digests saved", tuple(lines), week.digests_saved - len(lines), DIGEST_HINT))


def local_time(start: datetime) -> LocalTime:
    """Each reader sees the time in their own zone; the fallback is the meeting's own."""
    return local_day_and_time(start)


def next_roundtables(session: Session, week: Week) -> None:
    meetings = []
    for roundtable in shown_roundtables(session, week.team_id):
        for start in series(roundtable).between(week.end, week.end + AHEAD):
            meetings.append((start, roundtable))
    if not meetings:
        return
    meetings.sort(key=lambda pair: (pair[0], pair[1].id))
    lines = tuple(bullet(bold_title(r.title), " · ", local_time(start), " · ", ChannelRef(r.channel_id))
                  for start, r in meetings[:MEETINGS])
    week.sections.append(Section("Next roundtables", lines, len(meetings) - len(lines), ROUNDTABLE_HINT))


# In the order they appear; each adds its section (if any) and its figures to the week.
BUILDERS = [new_practices, most_adopted, waiting_questions, answered_questions, saved_digests, next_roundtables,
            active_cities]
