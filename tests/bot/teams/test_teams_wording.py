"""One wording source, Teams' command words: the slash goes, nothing else changes."""

from __future__ import annotations

from bot import messages as m
from bot.practices.help import HELP
from bot.teams.wording import as_typed, conversation_name, for_teams, inline, label, namer, offered


def test_commands_lose_their_slash_and_links_and_numbers_do_not() -> None:
    assert as_typed("Type `/practice search wireless` or /roundtable list.") == \
        "Type `practice search wireless` or roundtable list."
    assert as_typed("https://city.gov/practice 24/7 /invite @Roundtable") == "https://city.gov/practice 24/7 /invite @Roundtable"


def test_the_bots_mrkdwn_becomes_segments_and_help_reads_as_typed_in_teams() -> None:
    assert inline("Use `/practice` or *Edit*.") == (m.Text("Use "), m.code("practice"), m.Text(" or "), m.bold("Edit"),
                                                   m.Text("."))
    said = for_teams(HELP)
    text = " ".join(t.text for part in said.parts for t in part.text if isinstance(t, m.Text))  # type: ignore[union-attr]
    assert "practice search wireless downtown" in text and "/practice" not in text


def test_button_labels_are_as_typed_too() -> None:
    message = m.Message(m.line("x"), (m.Actions((m.Button("Run /practice search x", "run", "search x"),)),))
    assert for_teams(message).parts[0].buttons[0].label == "Run practice search x"  # type: ignore[union-attr]


def test_a_conversation_is_named_never_shown_by_its_id() -> None:
    channel, chat = "19:general@thread.tacv2", "19:abc@thread.v2"
    assert conversation_name(channel) == "this channel" and conversation_name(chat) == "this chat"
    assert conversation_name(channel, f"{channel};messageid=1", "General") == "General"
    assert conversation_name(channel, "a:personal-1", "Me") == "another channel"
    assert conversation_name(chat, channel) == "another chat"
    said = for_teams(m.Message(m.line("in ", m.ChannelRef(channel)), (m.Paragraph(m.line("in ", m.ChannelRef(channel))),)),
                     namer(channel, "General"))
    assert "19:" not in str(said) and m.words(said.parts[0].text) == "in General"


def test_slacks_invite_command_reads_as_what_a_teams_member_does() -> None:
    def said(*inline: m.Segment | str) -> str:
        return m.words(for_teams(m.line(*inline)).parts[0].text)  # type: ignore[union-attr]

    invite = m.code("/invite @Roundtable")
    assert said("I'm not in ", m.ChannelRef("19:a@thread.tacv2"), ": invite me with ", invite, ", then try again.") == \
        "I'm not in this channel: add Roundtable to the team, then try again."
    assert said("Make sure I'm in ", m.ChannelRef("19:a@thread.tacv2"), " (", invite, ").") == \
        "Make sure I'm in this channel (add Roundtable to the team)."
    assert m.words(for_teams("I can't see this channel. Invite me with `/invite @Roundtable`, then try again.")
                   .parts[0].text) == "I can't see this channel. Add Roundtable to the team, then try again."  # type: ignore[union-attr]
    assert m.words(for_teams("invite me to the channel with `/invite @Roundtable`, then").parts[0].text) == \
        "add Roundtable to the team, then"  # type: ignore[union-attr]
    digest = m.line("Invite me to ", m.ChannelRef("19:a@thread.tacv2"), " with ", m.code("/invite @Roundtable"), ".")
    assert m.words(for_teams(digest).parts[0].text) == "Invite me to this channel (add Roundtable to the team)."  # type: ignore[union-attr]


def test_a_conversation_is_offered_by_its_label_here_first_never_by_id() -> None:
    kept = [("19:b@thread.tacv2", "channel", "Budget", "City Ops"), ("19:c@thread.v2", "groupChat", "", ""),
            ("19:d@thread.v2", "groupChat", "", ""), ("19:e@thread.tacv2", "channel", "", "City Ops"),
            ("19:b@thread.tacv2;messageid=7", "channel", "", "")]
    assert offered(kept, "19:e@thread.tacv2;messageid=9") == [
        ("19:e@thread.tacv2", "a channel of City Ops (this conversation)"), ("19:b@thread.tacv2", "City Ops › Budget"),
        ("19:c@thread.v2", "a group chat"), ("19:d@thread.v2", "a group chat (2)")]
    assert conversation_name("19:b@thread.tacv2", "a:personal-1", "", {"19:b@thread.tacv2": "City Ops › Budget"}) == \
        "City Ops › Budget"
    assert label("", "") == "" and label("Mayors", "") == "Mayors"


def test_a_conversation_named_at_a_sentences_start_is_capitalised() -> None:
    channel = m.ChannelRef("19:a@thread.tacv2")
    said = for_teams(m.line("Cancel #1 Budget? ", channel, " will be told; ", channel, " too."), namer("a:personal-1"))
    assert m.words(said.parts[0].text) == "Cancel #1 Budget? Another channel will be told; another channel too."  # type: ignore[union-attr]
    assert m.words(for_teams(m.line(channel, " was told.")).parts[0].text) == "This channel was told."  # type: ignore[union-attr]
    named = for_teams(m.line("Done. ", channel), namer(known={"19:a@thread.tacv2": "ops › budget"}))
    assert m.words(named.parts[0].text) == "Done. ops › budget"  # type: ignore[union-attr] - a name is as Teams gave it
