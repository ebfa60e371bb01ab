"""The 2004 roundtable's two practices and the participants' profiles, for console mode.

Idempotent: running the console again on the same database adds nothing twice.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.demo.members import MEMBERS
from bot.services import Services
from bot.topics import normalize_topics
from storage.practices import add_practice, find_practice
from storage.profiles import get_profile, save_profile

ROUNDTABLE_DAY = datetime(2004, 6, 27, 15, 0, tzinfo=UTC)  # the Annual Meeting in Boston
PRACTICES = [
    ("U0MILLER", dict(
        title="Wireless hotspots that drew young people downtown",
        city="Detroit",
        problem="Downtown emptied out after office hours, and young people saw no reason to come.",
        solution="The city lit up free wireless hotspots in downtown squares and public spaces.",
        outcome="Young people came downtown to work and meet in the hotspots; the city used the "
                "network to market downtown as a place to be.",
        contact="Derrick Miller, CIO, City of Detroit",
    ), ("#wireless", "#technology-jobs")),
    ("U0NEFF", dict(
        title="Collapsing 12 tax systems into one",
        city="Philadelphia",
        problem="Twelve separate tax systems: each with its own data, staff and way of billing residents.",
        solution="One integrated revenue system replaced the twelve, planned and financed with the mayor's office.",
        outcome="One system to run and one account per taxpayer instead of twelve.",
        contact="Dianah Neff, CIO, City of Philadelphia",
    ), ("#revenue-tax", "#integration")),
]


def load(services: Services, team_id: str) -> None:
    with services.db.begin() as session:
        for member in MEMBERS:
            if get_profile(session, team_id, member.user_id) is None:
                save_profile(session, team_id, member.user_id, ROUNDTABLE_DAY, role=member.role,
                             city=member.city, state=member.state, title=member.title, expertise=[])
        for user_id, fields, topics in PRACTICES:
            if find_practice(session, team_id, user_id, fields["title"]) is None:
                add_practice(session, team_id, user_id, ROUNDTABLE_DAY, topics=normalize_topics(topics),
                             **fields)
