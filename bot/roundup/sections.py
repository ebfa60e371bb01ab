"""The roundup's sections, each built from a few bounded queries and written as escaped mrkdwn."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.dates import slack_day_and_time
from bot.roundtables.meetings import series
from bot.text import escape, truncate
from storage import activity, digests, question_activity
from storage.roundtables import shown_roundtables

TITLE_CHARS = 120  # a practice or digest title in a roundup line
QUESTION_CHARS = 150
NEW_PRACTICES, MOST_ADOPTED, WAITING, ANSWERED, DIGESTS, MEETINGS = 10, 5, 5, 5, 5, 5
AHEAD = timedelta(days=14)  # how far ahead "next roundtables" looks
PRACTICE_HINT = "`/practice list`"
ROUNDTABLE_HINT = "`/roundtable list`"
DIGEST_HINT = "`/digest list`"
QUESTION_HINT = "Roundtable's Home tab lists them"


@dataclass
class Section:
    heading: str
    lines: list[str]  # mrkdwn; user text already escaped
    more: int = 0  # items that exist beyond the lines
    more_hint: str = ""  # the command that lists them all

    @property
    def more_line(self) -> str:
        hint = f": {self.more_hint}" if self.more_hint else ""
        return f"and {self.more} more{hint}" if self.more > 0 else ""


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


def name(text: str) -> str:
    return escape(truncate(" ".join(text.split()), TITLE_CHARS))


def cities(count: int) -> str:
    return f"{count} {'city' if count == 1 else 'cities'}"


def new_practices(session: Session, week: Week) -> None:
    week.practices_shared = activity.count_new_practices(session, week.team_id, week.start, week.end)
    if not week.practices_shared:
        return
    lines = []
    for p in activity.new_practices(session, week.team_id, week.start, week.end, NEW_PRACTICES):
        where = f" · {escape(truncate(p.city, 60))}" if p.city else ""
        adopted = f" · adopted by {cities(p.adoptions)}" if p.adoptions else ""
        lines.append(f"• *{name(p.title)}*{where} · shared by <@{p.user_id}>{adopted}")
    week.sections.append(Section("New practices this week", lines, week.practices_shared - len(lines),
                                 PRACTICE_HINT))


def most_adopted(session: Session, week: Week) -> None:
    ranked, week.adoptions = activity.most_adopted(session, week.team_id, week.start, week.end, MOST_ADOPTED)
    if not ranked:
        return
    lines = [
        f"• *{name(p.title)}*{f' ({escape(truncate(p.city, 60))})' if p.city else ''}: "
        f"adopted by {cities(p.adoptions_this_week)} this week, {cities(p.adoptions)} in all"
        for p in ranked
    ]
    week.sections.append(Section("Most adopted", lines, week.adoptions - len(lines), PRACTICE_HINT))


def active_cities(session: Session, week: Week) -> None:
    week.cities |= activity.active_cities(session, week.team_id, week.start, week.end)
    week.cities |= question_activity.question_cities(session, week.team_id, week.start, week.end)


def said(text: str) -> str:
    return f"\u201c{escape(truncate(' '.join(text.split()), QUESTION_CHARS))}\u201d"


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
        city = f" ({escape(truncate(item.city, 60))})" if item.city else ""
        experts = f" · suggested: {', '.join(f'<@{u}>' for u in item.experts[:3])}" if item.experts else ""
        lines.append(f"• <@{q.user_id}>{city}, {waiting_days(q.asked_at, week.end)}: {said(q.text)}"
                     f" in <#{q.channel_id}>{experts}")
    week.sections.append(Section("Mayors' questions waiting longest", lines, total - len(lines), QUESTION_HINT))


def answered_questions(session: Session, week: Week) -> None:
    week.questions_asked = question_activity.count_asked(session, week.team_id, week.start, week.end)
    week.first_answer_waits = question_activity.first_answer_waits(session, week.team_id, week.start, week.end)
    answered, week.questions_answered = question_activity.answered_between(
        session, week.team_id, week.start, week.end, ANSWERED)
    if not answered:
        return
    lines = [f"• {said(q.text)} asked by <@{q.user_id}>" + (f", answered by <@{by}>" if by else "")
             for q, by in answered]
    week.sections.append(Section("Answered this week", lines, week.questions_answered - len(lines),
                                 QUESTION_HINT))


def saved_digests(session: Session, week: Week) -> None:
    found, week.digests_saved = digests.digests_saved_between(
        session, week.team_id, week.start, week.end, DIGESTS)
    if not found:
        return
    lines = []
    for digest in found:
        title = name(digest.title)
        link = f"<{digest.permalink}|{title}>" if digest.permalink else f"*{title}*"
        lines.append(f"• {link} in <#{digest.channel_id}> · saved by <@{digest.saved_by}>")
    week.sections.append(Section("Digests saved", lines, week.digests_saved - len(lines), DIGEST_HINT))


def local_time(start: datetime) -> str:
    """Each reader sees the time in their own zone; the fallback is the meeting's own."""
    return slack_day_and_time(start)


def next_roundtables(session: Session, week: Week) -> None:
    meetings = []
    for roundtable in shown_roundtables(session, week.team_id):
        for start in series(roundtable).between(week.end, week.end + AHEAD):
            meetings.append((start, roundtable))
    if not meetings:
        return
    meetings.sort(key=lambda pair: (pair[0], pair[1].id))
    lines = [f"• *{name(r.title)}* · {local_time(start)} · <#{r.channel_id}>" for start, r in meetings[:MEETINGS]]
    week.sections.append(Section("Next roundtables", lines, len(meetings) - len(lines), ROUNDTABLE_HINT))


# In the order they appear; each adds its section (if any) and its figures to the week.
BUILDERS = [new_practices, most_adopted, waiting_questions, answered_questions, saved_digests, next_roundtables,
            active_cities]
