"""Hypothesis strategies and settings for the property tests: what members type, kept modest for CI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# ~60 examples a property, no per-example deadline (2 shared cores): the suite stays fast and steady.
# Strategies reach past the limits on purpose (a 55-part message, 800 repeats of a piece), so
# "data too large" is expected, not a warning sign: suppressed here for every property.
modest = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

HOSTILE = ["<!everyone>", "<!channel>", "<!here>", "<@U0MOD>", "<#C0MAYORS>", "<https://evil.example|bank>",
           "<!date^1^{date}|x>", "&", "&lt;", "&amp;", "<", ">", "|", "*", "_", "~", "`", "\n", " ", "é", "🏙"]

# What members type: mostly words, often Slack's control sequences, sometimes very long.
piece = st.one_of(st.text(max_size=12), st.sampled_from(HOSTILE))
user_text = st.one_of(
    st.lists(piece, max_size=20).map("".join),
    st.tuples(st.lists(piece, min_size=1, max_size=4).map("".join), st.integers(1, 800)).map(lambda t: t[0] * t[1]),
)




def crowds(element: st.SearchStrategy, most: int) -> st.SearchStrategy[list]:
    """Lists of 0 to `most` elements, sizes spread evenly: hypothesis alone favours short lists,
    and the limits bite on long ones."""
    return st.integers(0, most).flatmap(lambda n: st.lists(element, min_size=n, max_size=n))


ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
         "America/Anchorage", "Pacific/Honolulu", "America/Puerto_Rico", "UTC", "Europe/London", "Asia/Kolkata"]
NOW = datetime(2026, 11, 23, 14, tzinfo=UTC)

zones = st.sampled_from(ZONES)
user_ids = st.from_regex(r"U[A-Z0-9]{2,10}", fullmatch=True)
channel_ids = st.from_regex(r"C[A-Z0-9]{2,10}", fullmatch=True)


@st.composite
def starts(draw: st.DrawFn) -> datetime:
    """An aware meeting start in the next two years, in one of the zones members are in."""
    moment = NOW + timedelta(minutes=draw(st.integers(1, 2 * 365 * 24 * 60)))
    return moment.astimezone(ZoneInfo(draw(zones)))
