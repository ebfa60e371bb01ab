"""/profile end to end: one's own profile, moderators setting another member's, the moderator role."""

from __future__ import annotations

import json
from typing import Any

from bot import payloads
from storage.profiles import get_profile
from tests.harness import MEMBER, MODERATOR, TestBot, flatten
from tests.practice_steps import CHANNEL, TEAM, last_view, practice, share


def submit(bot: TestBot, *, user: str, target: str, role: str = "cio", city: str = "Philadelphia",
           expertise: tuple[str, ...] = ("revenue-tax",)) -> dict[str, Any]:
    values = {
        "role": {"role": {"type": "static_select", "selected_option": {"value": role}}},
        "city": {"city": {"type": "plain_text_input", "value": city or None}},
        "state": {"state": {"type": "plain_text_input", "value": "PA"}},
        "title": {"title": {"type": "plain_text_input", "value": "Chief Information Officer"}},
        "expertise": {"expertise": {"type": "multi_static_select",
                                    "selected_options": [{"value": t} for t in expertise]}},
    }
    metadata = json.dumps({"user_id": target, "channel_id": CHANNEL})
    response = bot.send(payloads.view_submission("profile_edit", values, user=user, private_metadata=metadata))
    return json.loads(response.body) if response.body else {}


def profile_of(bot: TestBot, user_id: str):  # type: ignore[no-untyped-def]
    with bot.db.begin() as session:
        return get_profile(session, TEAM, user_id)


def test_profile_opens_a_form_and_saves_role_city_and_expertise(bot: TestBot) -> None:
    bot.command("/profile", "", user=MEMBER)
    view = last_view(bot)
    assert view["title"]["text"] == "Your profile"
    roles = next(b for b in view["blocks"] if b["block_id"] == "role")["element"]["options"]
    assert "moderator" not in [o["value"] for o in roles]  # members cannot make themselves moderators
    assert submit(bot, user=MEMBER, target=MEMBER) == {}
    saved = profile_of(bot, MEMBER)
    assert (saved.role, saved.city, saved.state, saved.expertise) == ("cio", "Philadelphia", "PA", ["revenue-tax"])
    assert "CIO · Philadelphia, PA" in flatten(bot.emulator.wait_for("chat.postEphemeral")[-1].args)
    practice_id = share(bot, "One tax system. Twelve became one.", user=MEMBER)
    assert practice_id is not None
    card = bot.emulator.messages[CHANNEL][-1]
    assert "Dianah Neff (CIO, Philadelphia)" in flatten(card)


def test_a_member_cannot_take_the_moderator_role_or_set_others(bot: TestBot) -> None:
    body = submit(bot, user=MEMBER, target=MEMBER, role="moderator")
    assert body["response_action"] == "errors" and "moderator" in body["errors"]["role"]
    assert submit(bot, user=MEMBER, target=MODERATOR)["response_action"] == "errors"
    bot.command("/profile", f"<@{MODERATOR}|guido>", user=MEMBER)
    assert bot.last_reply_text().startswith("Only moderators can set another member's profile.")
    assert profile_of(bot, MEMBER) is None and profile_of(bot, MODERATOR) is None
    assert bot.emulator.calls_to("views.open") == []


def test_a_moderator_sets_another_members_profile(bot: TestBot) -> None:
    bot.command("/profile", f"<@{MEMBER}|dianah>", user=MODERATOR)
    view = last_view(bot)
    assert view["title"]["text"] == "Member profile" and json.loads(view["private_metadata"])["user_id"] == MEMBER
    assert submit(bot, user=MODERATOR, target=MEMBER, role="moderator", city="") == {}
    assert profile_of(bot, MEMBER).role == "moderator"
    assert bot.services.is_moderator(TEAM, MEMBER)  # the role gives moderator rights


def test_mayors_and_cios_need_a_city_and_bad_text_gets_usage(bot: TestBot) -> None:
    body = submit(bot, user=MEMBER, target=MEMBER, role="mayor", city="")
    assert body["errors"] == {"city": "Mayors and CIOs: which city?"}
    bot.command("/profile", "everyone please", user=MEMBER)
    assert bot.last_reply_text().startswith("Usage:")


def test_editing_a_profile_forgets_the_members_cached_name(bot: TestBot) -> None:
    share(bot, "One tax system. Twelve became one.", user=MEMBER)
    assert "Dianah Neff" in flatten(bot.emulator.messages[CHANNEL][-1])
    bot.emulator.add_user(MEMBER, real_name="Dianah Neff-Okafor", tz="America/New_York")
    share(bot, "Open data portal. Two hundred data sets.", user=MEMBER)
    assert "Neff-Okafor" not in flatten(bot.emulator.messages[CHANNEL][-1])  # the cached name, still
    assert submit(bot, user=MEMBER, target=MEMBER) == {}
    share(bot, "Shared services. Three towns, one help desk.", user=MEMBER)
    assert "Dianah Neff-Okafor (CIO, Philadelphia)" in flatten(bot.emulator.messages[CHANNEL][-1])


def test_a_share_right_after_a_profile_edit_shows_the_new_role_and_city(bot: TestBot) -> None:
    """The sharer's profile is kept across commands (bot/members.py Profiles): saving it forgets it,
    so the card and the share's default city are the new ones at once."""
    assert submit(bot, user=MEMBER, target=MEMBER, role="cio", city="Philadelphia") == {}
    first = share(bot, "One tax system. Twelve became one.", user=MEMBER)
    assert first is not None and practice(bot, first).city == "Philadelphia"
    assert "Dianah Neff (CIO, Philadelphia)" in flatten(bot.emulator.messages[CHANNEL][-1])
    assert submit(bot, user=MEMBER, target=MEMBER, role="mayor", city="Pittsburgh") == {}
    again = share(bot, "Open data portal. Two hundred data sets.", user=MEMBER)
    assert again is not None and practice(bot, again).city == "Pittsburgh"
    assert "Dianah Neff (Mayor, Pittsburgh)" in flatten(bot.emulator.messages[CHANNEL][-1])


def test_a_share_right_after_a_moderator_edits_the_profile_shows_the_new_role_and_city(bot: TestBot) -> None:
    share(bot, "One tax system. Twelve became one.", user=MEMBER)  # no profile yet: none kept
    assert "Dianah Neff (" not in flatten(bot.emulator.messages[CHANNEL][-1])
    assert submit(bot, user=MODERATOR, target=MEMBER, role="cio", city="Allentown") == {}
    again = share(bot, "Open data portal. Two hundred data sets.", user=MEMBER)
    assert again is not None and practice(bot, again).city == "Allentown"
    assert "Dianah Neff (CIO, Allentown)" in flatten(bot.emulator.messages[CHANNEL][-1])


def test_a_refused_profile_edit_leaves_the_kept_profile_as_saved(bot: TestBot) -> None:
    assert submit(bot, user=MEMBER, target=MEMBER, role="cio", city="Philadelphia") == {}
    share(bot, "One tax system. Twelve became one.", user=MEMBER)
    assert submit(bot, user=MEMBER, target=MEMBER, role="mayor", city="")["response_action"] == "errors"
    again = share(bot, "Open data portal. Two hundred data sets.", user=MEMBER)
    assert again is not None and practice(bot, again).city == "Philadelphia"
    assert "Dianah Neff (CIO, Philadelphia)" in flatten(bot.emulator.messages[CHANNEL][-1])
