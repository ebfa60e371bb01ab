"""Properties of the two settings modals: `/roundup settings` and `/profile`. Each fits Slack, reads
back exactly what it showed, and any submission gives a choice or errors beside named fields."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import event, given
from hypothesis import strategies as st

from bot import payloads
from bot.profiles import (
    LIMITS,
    ROLE_OPTIONS,
    ProfileDraft,
    check_profile,
    mentioned_member,
    profile_form,
    read_profile,
)
from bot.render import slack_forms
from bot.roundup.schedule import DAYS, RoundupSchedule
from bot.roundup.settings import Choice, parse_settings, saved_form, settings_form
from bot.topics import LABELS
from bot.zones import ZONE_CHOICES
from storage.profiles import Profile
from tests.faults.blockkit import assert_view
from tests.faults.strategies import NOW, channel_ids, modest, user_ids, user_text

choices = st.builds(Choice, st.sampled_from(DAYS), st.from_regex(r"([01][0-9]|2[0-3]):[0-5][0-9]", fullmatch=True),
                    st.sampled_from(sorted(ZONE_CHOICES)), channel_ids, st.booleans())


def schedule_of(choice: Choice) -> RoundupSchedule:
    hour, minute = choice.time.split(":")
    return RoundupSchedule(team_id="T1", cron=f"{int(minute)} {int(hour)} * * {choice.day}", timezone=choice.timezone,
                           channel_id=choice.channel_id, post_quiet_weeks=choice.post_quiet_weeks, custom=True)


@modest
@given(choices, st.one_of(st.none(), st.just(NOW)))
def test_the_roundup_settings_modal_fits_and_saving_it_unchanged_keeps_the_schedule(choice: Choice, next_at) -> None:
    schedule = schedule_of(choice)
    view = slack_forms.view(settings_form(schedule, next_at))
    assert_view(view)
    assert parse_settings(slack_forms.values({**view, "state": payloads.view_state(view)})) == (choice, {})
    assert_view(slack_forms.view(saved_form(schedule, next_at)))


picked = st.one_of(st.text(max_size=20), st.sampled_from(["mon", "SUN", "09:00", "24:00", "0٠:00", "UTC",
                                                         "Mars/Olympus", "C0MAYORS", "post", "skip"]))
fields = st.dictionaries(st.sampled_from(["day", "time", "timezone", "channel", "quiet"]),
                         st.one_of(picked, st.lists(picked, max_size=2).map(tuple)))
# a valid submission (as the modal sends it, any case and padding), then with fields changed: random
# fields alone are a valid choice in no example
valid = st.fixed_dictionaries({
    "day": st.sampled_from(DAYS).map(str.upper) | st.sampled_from(DAYS), "time": choices.map(lambda c: c.time),
    "timezone": st.sampled_from(sorted(ZONE_CHOICES)), "channel": channel_ids.map(lambda c: f" {c} "),
    "quiet": st.sampled_from(["post", "skip"])})
submission = st.one_of(fields, valid, st.tuples(valid, fields).map(lambda t: {**t[0], **t[1]}))


@modest
@given(submission)
def test_any_roundup_settings_submission_is_a_choice_or_errors_beside_fields(values: dict[str, Any]) -> None:
    choice, errors = parse_settings(values)
    event("a choice" if choice else "errors")  # valid choices: the modal test above reads them back
    assert (choice is None) == bool(errors)
    assert choice is None or re.fullmatch(r"[0-2][0-9]:[0-5][0-9]", choice.time, re.ASCII)
    assert set(errors) <= {"day", "time", "timezone", "channel", "quiet"}


profiles = st.builds(
    lambda role, city, state, title, expertise: Profile(team_id="T1", user_id="U1", role=role, city=city, state=state,
                                                        title=title, expertise=expertise, updated_at=NOW),
    st.sampled_from(sorted(ROLE_OPTIONS)), *(user_text.map(lambda t, n=n: t.strip()[: LIMITS[n]].strip())
                                             for n in ("city", "state", "title")),
    st.lists(st.sampled_from(sorted(LABELS)), unique=True, max_size=10))


@modest
@given(st.one_of(st.none(), profiles), user_ids, st.booleans(), channel_ids, st.booleans())
def test_the_profile_modal_fits_and_reads_back_what_it_showed(profile: Profile | None, user: str, own: bool,
                                                              channel: str, may_grant: bool) -> None:
    view = slack_forms.view(profile_form(profile, user_id=user, own=own, channel_id=channel,
                                         may_grant_moderator=may_grant))
    assert_view(view)
    submitted = slack_forms.submitted({**view, "state": payloads.view_state(view)})
    draft, whose, where = read_profile(submitted.values, submitted.state)
    assert (whose, where) == (user, channel)
    if profile is not None:
        assert (draft.role, draft.city, draft.state, draft.title, draft.expertise) == (
            profile.role, profile.city, profile.state, profile.title, profile.expertise)
    assert check_profile(draft, own=True, editor_is_moderator=True, current_role=draft.role).keys() <= {"city"}


@modest
@given(st.builds(ProfileDraft, st.text(max_size=12), user_text, user_text, user_text,
                 st.lists(st.text(max_size=20), max_size=5)), st.booleans(), st.booleans(), st.text(max_size=12))
def test_checking_any_profile_gives_errors_beside_its_fields(draft: ProfileDraft, own: bool, moderator: bool,
                                                            current: str) -> None:
    errors = check_profile(draft, own=own, editor_is_moderator=moderator, current_role=current)
    assert set(errors) <= {"role", "city", "state", "title"} and all(errors.values())


@modest
@given(st.one_of(user_text.filter(lambda t: "<@" not in t).map(lambda t: (t, None)),
                 user_ids.map(lambda u: (f"<@{u}>", u)), user_ids.map(lambda u: (f" <@{u}|name> ", u)),
                 user_ids.map(lambda u: (f"<@{u}> and more", None)), user_ids.map(lambda u: (f"@{u}", None))))
def test_a_profile_argument_names_a_member_only_when_it_is_a_mention(case: tuple[str, str | None]) -> None:
    text, expected = case
    event("a mention" if expected else "not one")
    assert mentioned_member(text) == expected
