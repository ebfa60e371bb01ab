from __future__ import annotations

from datetime import UTC, datetime

from storage.profiles import Profile
from tests.harness import MEMBER, MODERATOR, TestBot


def test_moderators_come_from_settings_profiles_and_workspace_admins(bot: TestBot) -> None:
    team = "T0ROUNDTBL"
    assert bot.services.is_moderator(team, MODERATOR)
    assert not bot.services.is_moderator(team, MEMBER)

    bot.emulator.add_user("U0ADMIN", is_admin=True)
    bot.emulator.add_user("U0OWNER", is_owner=True)
    assert bot.services.is_moderator(team, "U0ADMIN")
    assert bot.services.is_moderator(team, "U0OWNER")
    assert not bot.services.is_moderator(team, "U0NOBODY")  # users.info says user_not_found

    with bot.db.begin() as session:
        session.add(Profile(team_id=team, user_id=MEMBER, role="moderator",
                            updated_at=datetime(2026, 11, 1, tzinfo=UTC)))
    assert bot.services.is_moderator(team, MEMBER)
    assert not bot.services.is_moderator("T0OTHER", MEMBER)  # roles are per workspace
