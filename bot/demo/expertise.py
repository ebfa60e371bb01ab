"""Demo data for questions: what the 2004 participants know, so suggestions have someone to name."""

from __future__ import annotations

from bot.demo.members import MEMBERS
from bot.services import Services
from storage.profiles import Profile

EXPERTISE = {
    "U0MILLER": ["wireless-broadband", "technology-jobs"],  # Detroit's downtown hotspots
    "U0NEFF": ["revenue-tax", "integration-standards", "wireless-broadband"],  # Philadelphia: 12 tax systems
    "U0SCHRIER": ["public-safety", "open-data"],
}


def load(services: Services, team_id: str) -> None:
    """Give the demo CIOs their expertise (and each member a profile, unless one exists)."""
    now = services.clock()
    with services.db.begin() as session:
        for member in MEMBERS:
            profile = session.get(Profile, (team_id, member.user_id))
            if profile is not None:
                if not profile.expertise and member.user_id in EXPERTISE:
                    profile.expertise = EXPERTISE[member.user_id]
                continue
            session.add(Profile(team_id=team_id, user_id=member.user_id, role=member.role, city=member.city,
                                state=member.state, title=member.title,
                                expertise=EXPERTISE.get(member.user_id, []), updated_at=now))

