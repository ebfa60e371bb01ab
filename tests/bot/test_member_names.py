"""The sharers' name and profile caches: shared across commands, bounded, expiring, forgotten on a change."""

from bot.chat import Member
from bot.members import MemberNames, Profiles


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


class Reads:
    """A profile read as the share's unit of work reads it: counted, its answer set by the test."""

    def __init__(self, answer: object = None) -> None:
        self.answer, self.count = answer, 0

    def __call__(self) -> object:
        self.count += 1
        return self.answer


def test_profiles_are_kept_across_commands_until_they_expire() -> None:
    now = [0.0]
    profiles, read = Profiles(ttl=10, clock=lambda: now[0]), Reads("cio in Detroit")
    assert profiles.profile("T1", "U1", read) == "cio in Detroit"
    read.answer = "mayor in Detroit"  # saved by another worker process: this one does not hear of it
    assert profiles.profile("T1", "U1", read) == "cio in Detroit" and read.count == 1
    now[0] = 11
    assert profiles.profile("T1", "U1", read) == "mayor in Detroit" and read.count == 2


def test_no_profile_is_kept_too_and_forgotten_when_one_is_saved() -> None:
    profiles, read = Profiles(), Reads(None)
    assert profiles.profile("T1", "U1", read) is None and profiles.profile("T1", "U1", read) is None
    assert read.count == 1
    read.answer = "cio in Detroit"
    profiles.forget("T1", "U1")
    assert profiles.profile("T1", "U1", read) == "cio in Detroit" and read.count == 2
    assert profiles.profile("T1", "U2", read) == "cio in Detroit" and read.count == 3  # by workspace and member


def test_the_profiles_kept_are_bounded() -> None:
    profiles, read = Profiles(kept=2), Reads()
    for user in ("U1", "U2", "U3"):
        profiles.profile("T1", user, read)
    assert len(profiles) == 2
    profiles.profile("T1", "U1", read)  # the oldest went first
    assert read.count == 4


def test_a_profile_read_while_it_was_being_saved_is_not_kept() -> None:
    """A share read the profile as it stood; before it could keep it, a save here forgot it: what it
    read may be the old profile, so the next share reads again."""
    profiles = Profiles()
    old = Reads("cio in Detroit")

    def read_then_saved() -> object:
        found = old()
        profiles.forget("T1", "U1")  # the save commits and forgets between the read and the keeping
        return found

    assert profiles.profile("T1", "U1", read_then_saved) == "cio in Detroit"
    new = Reads("mayor in Detroit")
    assert profiles.profile("T1", "U1", new) == "mayor in Detroit" and new.count == 1
    assert profiles.profile("T1", "U1", new) == "mayor in Detroit" and new.count == 1  # this one was kept
