"""Properties of the roundtable quick form, the modal, the delivery keys and every roundtable builder."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import assume, event, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from bot.render import slack, slack_forms
from bot.roundtables import blocks, reminders
from bot.roundtables.agenda import OpenQuestion
from bot.roundtables.ics import build_ics
from bot.roundtables.meetings import reminder_key
from bot.roundtables.modal import ModalErrors, read_modal, roundtable_id_of, schedule_form
from bot.roundtables.plans import TITLE_LIMIT, MeetingPlan, PlanError, parse_quick
from bot.roundtables.recurrence import (
    LOCAL_FORMAT,
    RECURRENCES,
    Series,
    build_rrule,
    exists,
    occurrence_key,
    parse_occurrence_key,
)
from storage.roundtables import ANSWERS, Roundtable, RoundtableRsvp
from tests.faults.blockkit import assert_message, assert_view
from tests.faults.strategies import NOW, channel_ids, crowds, modest, starts, user_ids, user_text, zones

MODAL_BLOCKS = {"title", "agenda", "date", "time", "zone", "recurrence", "channel", "reminders", "video"}
reminder_minutes = st.lists(st.integers(1, 60 * 24 * 28), max_size=6)
video_urls = st.one_of(st.just(""), st.from_regex(r"https://[a-z0-9.-]{1,30}/[A-Za-z0-9/?=&%._-]{0,60}", fullmatch=True))
titles = user_text.map(lambda t: " ".join(t.split())[:TITLE_LIMIT].strip()).filter(bool)


@modest
@given(st.text(max_size=300), zones)
def test_the_quick_form_reads_a_plan_or_says_what_is_wrong(text: str, zone: str) -> None:
    try:
        plan = parse_quick(text, now=NOW, default_zone=zone, channel_id="C1")
    except PlanError as error:
        assert str(error) and len(str(error)) < 400
        return
    assert 0 < len(plan.title) <= TITLE_LIMIT
    assert plan.starts_local.replace(tzinfo=ZoneInfo(plan.timezone)) > NOW


@modest
@given(starts(), st.sampled_from([None, *[z for z in ("America/Chicago", "UTC", "Pacific/Honolulu")]]),
       st.sampled_from(sorted(RECURRENCES)), titles, zones)
def test_what_the_quick_form_says_is_what_it_reads(start: datetime, written_zone: str | None, recurrence: str,
                                                 title: str, default_zone: str) -> None:
    zone = written_zone or default_zone
    local = start.astimezone(ZoneInfo(zone)).replace(tzinfo=None, second=0, microsecond=0)
    assume(exists(local, ZoneInfo(zone)) and local.replace(tzinfo=ZoneInfo(zone)) > NOW)
    assume(title.split()[0].lower() not in RECURRENCES and "/" not in title.split()[0]
           and title.split()[0].upper() != "UTC")  # a title starting like a zone or a repeat reads as one
    words = [f"{local:%Y-%m-%d}", f"{local:%H:%M}", *([written_zone] if written_zone else [])]
    words += [recurrence] if recurrence != "once" else []
    plan = parse_quick(" ".join([*words, title]), now=NOW, default_zone=default_zone, channel_id="C1")
    assert (plan.starts_local, plan.timezone, plan.recurrence, plan.title) == (local, zone, recurrence, title)


def field_values() -> st.SearchStrategy[dict[str, str | tuple[str, ...]]]:
    """A submission's values by field: sometimes right, often missing or garbled."""
    value = st.one_of(st.text(max_size=40), st.sampled_from(["2026-12-03", "15:00", "25:99", "America/Chicago",
                      "Mars/Olympus", "weekly", "C0MAYORS", "https://meet.example.org/x", "15", "1440"]))
    return st.dictionaries(st.sampled_from(sorted(MODAL_BLOCKS)),
                           st.one_of(value, st.lists(value, max_size=4).map(tuple)))


@modest
@given(field_values())
def test_the_modal_reads_a_plan_or_names_the_fields_that_are_wrong(values: dict[str, Any]) -> None:
    try:
        plan = read_modal(values, NOW)
    except ModalErrors as errors:
        assert errors.errors and set(errors.errors) <= MODAL_BLOCKS
        assert all(message and "`" not in message for message in errors.errors.values())
        return
    assert plan.title and plan.channel_id


def plans() -> st.SearchStrategy[MeetingPlan]:
    return st.builds(
        lambda title, start, recurrence, channel, agenda, minutes, video: MeetingPlan(
            title=title, starts_local=start.replace(tzinfo=None, second=0, microsecond=0),
            timezone=str(start.tzinfo), recurrence=recurrence, channel_id=channel, agenda=agenda[:2000],
            reminder_minutes=minutes, video_url=video),
        titles, starts(), st.sampled_from(sorted(RECURRENCES)), channel_ids, user_text, reminder_minutes, video_urls)


@modest
@given(st.one_of(st.none(), plans()), channel_ids, zones, st.one_of(st.none(), st.integers(1, 10**9)))
def test_the_schedule_modal_fits_slack_and_carries_its_roundtable(plan: MeetingPlan | None, channel: str,
                                                                  zone: str, roundtable_id: int | None) -> None:
    view = slack_forms.view(schedule_form(channel_id=channel, timezone=zone, plan=plan, roundtable_id=roundtable_id))
    assert_view(view)
    assert roundtable_id_of(view["private_metadata"]) == roundtable_id



@st.composite
def roundtables(draw: st.DrawFn, details: bool = True) -> tuple[Roundtable, datetime]:
    """A roundtable and one of its meetings; `details=False` leaves out what lists do not show."""
    start = draw(starts())
    recurrence = draw(st.sampled_from(sorted(RECURRENCES)))
    roundtable = Roundtable(
        id=draw(st.integers(1, 10**9)), team_id="T1", channel_id=draw(channel_ids), title=draw(user_text),
        agenda=draw(user_text) if details else "", starts_local=f"{start:%Y-%m-%dT%H:%M}",
        timezone=str(start.tzinfo), rrule=build_rrule(recurrence, start.date()), cancelled_starts=[],
        duration_minutes=60, reminder_minutes=draw(reminder_minutes) if details else [],
        video_url=draw(video_urls) if details else "")
    return roundtable, start


names = st.one_of(  # up to the column's 120 characters; long ones made cheaply (hypothesis caps its data)
    st.tuples(st.text(min_size=1, max_size=6), st.integers(10, 120)).map(lambda t: (t[0] * t[1])[:120]),
    user_text.map(lambda t: t[:120]))
answers = crowds(st.builds(lambda user, answer, name: RoundtableRsvp(user_id=user, answer=answer, name=name,
                                                                     updated_at=NOW),
                           user_ids, st.sampled_from(ANSWERS), names), 120)
questions = st.lists(st.builds(OpenQuestion, user_text, user_ids, st.just(NOW),
                               st.one_of(st.just(""), video_urls)), max_size=5)


@settings(modest, max_examples=40)  # up to 120 RSVPs an example: the slowest property here
@given(roundtables(), answers, questions)
def test_a_reminder_fits_slack_and_pings_nobody(meeting: tuple[Roundtable, datetime], rsvps: list[RoundtableRsvp],
                                               asked: list[OpenQuestion]) -> None:
    roundtable, start = meeting
    assert_message(slack.message(blocks.build_reminder(roundtable, start, rsvps, asked)))


@settings(modest, max_examples=30)
@given(crowds(roundtables(details=False), 60))
def test_the_list_fits_slack_however_many_roundtables(meetings: list[tuple[Roundtable, datetime]]) -> None:
    assert_message(slack.message(blocks.build_list(meetings)))


@modest
@given(roundtables(), st.one_of(st.none(), starts()), st.one_of(st.none(), starts()), user_ids)
def test_confirmations_and_notices_fit_slack(meeting: tuple[Roundtable, datetime], occurrence: datetime | None,
                                             continues: datetime | None, user: str) -> None:
    roundtable, start = meeting
    assert_message({"text": slack.mrkdwn(blocks.scheduled_text(roundtable, start))})
    assert_message({"text": slack.mrkdwn(blocks.scheduled_text(roundtable, start, verb="Updated"))})
    for text in blocks.cancelled_texts(roundtable, occurrence, continues):
        assert_message({"text": slack.mrkdwn(text)})
    assert_message(slack.message(blocks.announcement(roundtable, start, user)))


@modest
@given(st.integers(1, 10**9), starts(), st.integers(1, 10**6))
def test_a_reminder_key_reads_back_as_the_meeting_it_names(roundtable_id: int, start: datetime, minutes: int) -> None:
    start = start.replace(second=0, microsecond=0)
    assert parse_occurrence_key(occurrence_key(start)) == start
    assert reminders.parse_key(reminder_key(roundtable_id, start, minutes)) == (roundtable_id, start, minutes)
    assert len(reminder_key(roundtable_id, start, minutes)) <= 200  # the delivery key column


@modest
@given(roundtables(), st.lists(starts(), max_size=3))
def test_any_roundtable_makes_a_calendar_file_that_reads_back(meeting: tuple[Roundtable, datetime],
                                                             cancelled: list[datetime]) -> None:
    roundtable, _ = meeting
    roundtable.title = " ".join(roundtable.title.split())[:150] or "Roundtable"
    roundtable.cancelled_starts = [f"{c:%Y-%m-%dT%H:%M}" for c in cancelled]
    roundtable.updated_at = NOW
    calendar = Calendar.from_ical(build_ics(roundtable, NOW))
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == roundtable.title
    assert ("RRULE" in event) == bool(roundtable.rrule)
    assert calendar.walk("VTIMEZONE") or roundtable.timezone == "UTC"


# a series whose meeting falls in the spring-forward gap: 02:xx on a Sunday two or four weeks before
# the US change of 2027-03-14, the second Sunday of its month (every recurrence reaches it)
gap_starts = st.builds(lambda zone, weeks, minute: (datetime(2027, 3, 14, 2, minute) - timedelta(weeks=weeks))
                       .replace(tzinfo=ZoneInfo(zone)),
                       st.sampled_from(["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
                                        "America/Anchorage"]), st.sampled_from([2, 4]), st.integers(0, 59))


@modest
@given(st.one_of(starts(), gap_starts), st.sampled_from(["weekly", "biweekly", "monthly"]))
def test_a_series_meets_at_its_local_hour_on_both_sides_of_every_dst_change(first: datetime, recurrence: str) -> None:
    """A year of meetings keeps the first one's wall-clock time in its zone; only a time the clocks
    skip that day (the spring-forward gap) moves, an hour later."""
    local, tz = first.replace(tzinfo=None), first.tzinfo
    assert isinstance(tz, ZoneInfo)
    series = Series.of(local.strftime(LOCAL_FORMAT), tz.key, build_rrule(recurrence, local.date()))
    found = series.between(first, first + timedelta(days=366))
    event("crosses a DST change" if len({start.utcoffset() for start in found}) > 1 else "one UTC offset all year")
    assert found[0] == first and found == sorted(found) and len(found) >= 12
    for start in found:
        wall = datetime.combine(start.date(), local.time())
        if exists(wall, tz):
            assert start.replace(tzinfo=None) == wall, f"{start:%Y-%m-%d %H:%M %Z}, not at {local:%H:%M}"
        else:
            event("a meeting in the spring-forward gap")
            assert start.replace(tzinfo=None) == wall + timedelta(hours=1)
