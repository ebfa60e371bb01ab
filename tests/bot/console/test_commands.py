"""The console's own commands: unknown ones are refused, `:reply` reaches any thread on screen,
members are named as people type them, and `:as` says who is who."""

from __future__ import annotations

from bot.console import CHANNEL
from tests.bot.console.terminal import Terminal, terminal


def posted_by(t: Terminal, user_id: str) -> list[dict]:
    return [m for m in t.emulator.messages.get(CHANNEL, []) if m.get("user") == user_id]


def test_an_unknown_console_command_is_refused_not_posted(database_url: str) -> None:
    with terminal(database_url, "cio") as t:
        shown = t.type(":remind me tomorrow")
        assert "Unknown console command :remind. Type :help" in shown
        assert posted_by(t, "U0MILLER") == []
        assert "(posted as m1)" in t.type(":tada: the hotspots are live")  # an emoji is a message
        assert "Usage: :tick" in t.type(":tick soon")
        assert "Type as you would in Slack" in t.type(":Help")  # any case
        assert posted_by(t, "U0MILLER")[-1]["text"] == ":tada: the hotspots are live"


def test_reply_answers_the_cards_ask_about_this_thread(database_url: str) -> None:
    with terminal(database_url, "cio") as t:
        t.type("/practice Kiosks for permits. Residents print permits at the library.")
        t.type(":as mayor")
        asked = t.type("2")  # Ask about this, on the card
        assert "has a question about *Kiosks for permits*" in asked
        assert "(thread of m1)" in asked  # the card's thread
        assert "(replied in m1's thread)" in t.type(":reply What did the kiosks cost?")
        card_ts = t.console.threads.find("m1")
        reply = posted_by(t, "U0COWNIE")[-1]
        assert reply["thread_ts"] == card_ts and reply["text"] == "What did the kiosks cost?"


def test_reply_can_name_an_earlier_thread_such_as_a_reminders(database_url: str) -> None:
    with terminal(database_url, "moderator") as t:
        reminder = t.type(":tick 55h")
        assert "[m1] Roundtable:\n== Mayors and CIOs: keep talking ==" in reminder
        t.type("How did Detroit pay for the hotspots?")  # m2, now the thread in view
        assert "(replied in m1's thread)" in t.type(":reply m1 I will bring the budget numbers.")
        assert posted_by(t, "U0GUIDO")[-1]["thread_ts"] == t.console.threads.find("m1")
        assert "No message m9 on screen" in t.type(":reply m9 hello")
        assert "Usage: :reply [m3] <text>" in t.type(":reply m1")


def test_members_are_named_as_people_type_them(database_url: str) -> None:
    with terminal(database_url, "mayor") as t:
        t.type("@Derrick Miller and @neff: how did you fund the hotspots?")
        assert posted_by(t, "U0COWNIE")[-1]["text"] == "<@U0MILLER> and <@U0NEFF>: how did you fund the hotspots?"
        t.type(":as Guido")
        profile = t.type("/profile @Neff", ":cancel")  # a moderator opens another member's profile
        assert "Role (optional) one of:" in profile or "Role one of:" in profile
        assert "[CIO]" in profile  # Dianah Neff's role, not the moderator's


def test_as_lists_members_by_name_and_role(database_url: str) -> None:
    with terminal(database_url, "cio") as t:
        roster = t.type(":as")
        assert "You are Derrick Miller" in roster
        assert "Dianah Neff (CIO, Chief Information Officer, Philadelphia): :as Neff" in roster
        assert "Frank Cownie (mayor, Mayor of Des Moines, Des Moines)" in roster
        assert "U0NEFF" not in roster
        assert "No member called 'Nobody'" in t.type(":as Nobody")
        assert "You are now Dianah Neff" in t.type(":as @Dianah Neff")
        assert "You are now Bill Schrier" in t.type(":as schrier")
