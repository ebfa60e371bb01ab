"""The sharers' name cache: shared across commands, bounded, expiring, forgotten on a change."""

from bot.chat import Member
from bot.members import MemberNames


class Platform:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def member(self, user_id: str):  # noqa: ANN201
        self.asked.append(user_id)
        return Member(user_id=user_id, name=f"name-{user_id}-{len(self.asked)}", is_admin=False) \
            if user_id != "UNONE" else None


def test_names_are_kept_until_they_expire() -> None:
    now = [0.0]
    names, platform = MemberNames(ttl=10, clock=lambda: now[0]), Platform()
    first = names.display_name(platform, "T1", "U1")
    assert names.display_name(platform, "T1", "U1") == first and platform.asked == ["U1"]
    now[0] = 11
    assert names.display_name(platform, "T1", "U1") != first and platform.asked == ["U1", "U1"]


def test_the_cache_is_bounded_and_forgets_on_a_profile_change() -> None:
    names, platform = MemberNames(kept=2), Platform()
    for user in ("U1", "U2", "U3"):
        names.display_name(platform, "T1", user)
    assert len(names) == 2
    names.display_name(platform, "T1", "U1")  # the oldest went first
    assert platform.asked.count("U1") == 2
    names.forget("T1", "U1")
    names.display_name(platform, "T1", "U1")
    assert platform.asked.count("U1") == 3


def test_an_unknown_name_is_not_kept() -> None:
    names, platform = MemberNames(), Platform()
    assert names.display_name(platform, "T1", "UNONE") == "" and names.display_name(platform, "T1", "UNONE") == ""
    assert platform.asked == ["UNONE", "UNONE"]


def test_a_name_kept_in_any_workspace_is_known_by_id_alone() -> None:
    now = [0.0]
    names = MemberNames(ttl=10, clock=lambda: now[0])
    names.learn("T0BOSTON", "U0BOSCIO", "Boston CIO")
    assert names.known_anywhere("U0BOSCIO") == "Boston CIO" and names.known_anywhere("U0OTHER") == ""
    now[0] = 11
    assert names.known_anywhere("U0BOSCIO") == ""  # expired: looked up again
