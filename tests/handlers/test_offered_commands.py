"""Help and footers only offer what works where they are shown.

Every command the bot offers (in `/… help` and usage replies, the cards, announcements, reminders
and roundups it posts, the Home tab, and its direct messages) is read from the built messages and
typed back where it was shown: in the channel, or in the direct conversation with the bot for what a
DM offers. Each one does something: a form, a post, a file or an answer, never a usage line or an error.
"""

from __future__ import annotations

import re

from bot import payloads
from bot.roundtables.plans import example_day
from tests.handlers.test_digests import last_view, shortcut, submit
from tests.harness import MEMBER, MODERATOR, TestBot, flatten, payloads_json
from tests.practice_steps import CHANNEL, members, share
from tests.roundtable_steps import schedule
from tests.threads import CHANNEL as THREAD_CHANNEL
from tests.threads import long_thread

OFFERED = re.compile(r"`(/(?:practice|roundtable|roundup|digest|ask|profile)(?: [^`]*)?)`")
FAILED = re.compile(r"Usage|There is no|I did not understand|Sorry|not found|went wrong|Only |"
                    r"I can't|I could not|isn't|is not a|Type a", re.IGNORECASE)
HELPS = (("/practice", "help"), ("/roundtable", "help"), ("/roundup", "help"), ("/digest", "help"), ("/ask", "help"))
DM = "D0MEMBER"


def offered(text: str) -> set[str]:
    return {found.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") for found in OFFERED.findall(text)}


def typed_as(command: str, ids: dict[str, int]) -> tuple[str, str]:
    """What a member types for an offered command: its placeholders and example ids filled in."""
    name, _, text = command.partition(" ")
    text = re.sub(r"<(words|your question)>", lambda m: "wireless" if m[1] == "words" else
                  "How did your city pay for wireless hotspots downtown?", text)
    text = re.sub(r"(?<![\d:-])\b\d{1,3}\b(?![\d:-])", str(ids.get(name, 1)), text)  # an id, not a time or a date
    return name, text


def run(bot: TestBot, command: str, ids: dict[str, int], channel: str, user: str = MODERATOR) -> str:
    """Type it (as the moderator, by default); what happened, or the failure."""
    name, text = typed_as(command, ids)
    before = len(bot.emulator.calls)
    bot.command(name, text, user=user, channel=channel)
    calls = bot.emulator.calls[before:]
    replies = [flatten(c.args) for c in calls if c.method == "response_url"]
    did = {c.method for c in calls} & {"views.open", "chat.postMessage", "files.upload_v2", "files.completeUploadExternal",
                                       "files.getUploadURLExternal"}
    if replies and FAILED.search(replies[-1]):
        return f"FAILED: {replies[-1][:160]}"
    return "ok" if did or replies else "FAILED: nothing happened"


def world(bot: TestBot) -> dict[str, int]:
    """A practice shared, a roundtable scheduled, a roundup posted: the ids the examples point at."""
    members(bot)
    practice_id = share(bot, "Wireless hotspots downtown. Free wifi drew young people. #wireless")
    assert practice_id is not None
    assert "Scheduled" in schedule(bot, f"{example_day(bot.clock.now)} 15:00 America/Chicago weekly Wireless downtown")
    bot.command("/roundup", "now", user=MODERATOR, channel=CHANNEL)
    roundtable = re.search(r"/roundtable (?:ics|cancel) (\d+)", posted_text(bot))
    assert roundtable is not None
    return {"/practice": practice_id, "/roundtable": int(roundtable[1])}


def posted_text(bot: TestBot, dm: bool = False) -> str:
    """What the bot posted and said privately: in channels, or (dm) in direct conversations."""
    texts = []
    for call in bot.emulator.calls:
        channel = str(call.args.get("channel", ""))
        direct = channel.startswith(("U", "D"))
        if call.method in ("chat.postMessage", "chat.update", "chat.postEphemeral") and direct == dm or call.method == "response_url" and not dm:
            texts.append(flatten(call.args))
    return "\n".join(texts)


def test_every_command_offered_in_a_channel_or_the_home_tab_works_there(bot: TestBot) -> None:
    ids = world(bot)
    for command, text in HELPS:
        bot.command(command, text, user=MODERATOR, channel=CHANNEL)
    bot.event(payloads.app_home_opened(MODERATOR))
    home = flatten({"blocks": payloads_json(bot.emulator.calls_to("views.publish")[-1].args["view"])["blocks"]})
    commands = offered(posted_text(bot) + "\n" + home)
    assert {"/practice", "/roundtable list", "/roundup preview", "/digest list", "/profile"} <= commands, commands
    outcomes = {command: run(bot, command, ids, CHANNEL) for command in sorted(commands)}
    assert [c for c, outcome in outcomes.items() if outcome != "ok"] == [], outcomes


def test_every_command_a_direct_message_offers_works_in_the_direct_conversation(bot: TestBot) -> None:
    ids = world(bot)
    thread = long_thread(6)
    bot.emulator.set_thread(THREAD_CHANNEL, thread[0]["ts"], thread)
    shortcut(bot, thread[0])  # a member saves a digest of a thread
    bot.emulator.fail("chat.postMessage", error="not_in_channel")  # saved, not posted: a DM says so
    submit(bot, last_view(bot))
    commands = offered(posted_text(bot, dm=True))
    assert "/digest list" in commands
    outcomes = {command: run(bot, command, ids, DM, MEMBER) for command in sorted(commands)}
    assert [c for c, outcome in outcomes.items() if outcome != "ok"] == [], outcomes


def test_a_digest_of_a_private_channel_is_found_where_the_direct_message_says(bot: TestBot) -> None:
    """A DM cannot list a private channel's digests (its content never leaves it): the DM says where."""
    world(bot)
    bot.emulator.private_channels.add(THREAD_CHANNEL)
    thread = long_thread(6)
    bot.emulator.set_thread(THREAD_CHANNEL, thread[0]["ts"], thread)
    shortcut(bot, thread[0])
    bot.emulator.fail("chat.postMessage", error="not_in_channel")
    view = last_view(bot)
    submit(bot, view)
    said = posted_text(bot, dm=True)
    where = re.search(r"`/digest list` in <#(\w+)>", said)
    assert where is not None and where[1] == THREAD_CHANNEL, said
    bot.command("/digest", "list", user=MEMBER, channel=where[1])
    title = next(b["element"]["initial_value"] for b in view["blocks"] if b.get("block_id") == "title")
    assert title[:40] in bot.last_reply_text()
    bot.command("/digest", "list", user=MEMBER, channel=DM)
    assert title[:40] not in bot.last_reply_text()  # the private channel's digest stays there


def test_every_command_help_offers_in_the_direct_conversation_works_there(bot: TestBot) -> None:
    """Slack takes slash commands in the bot's direct conversation too: help asked there is true there."""
    ids = world(bot)
    before = len(bot.emulator.calls)
    for command, text in HELPS:
        bot.command(command, text, user=MODERATOR, channel=DM)
    commands = offered("\n".join(flatten(c.args) for c in bot.emulator.calls[before:] if c.method == "response_url"))
    assert {"/practice", "/roundtable list", "/roundup preview", "/digest list"} <= commands, commands
    outcomes = {command: run(bot, command, ids, DM) for command in sorted(commands)}
    assert [c for c, outcome in outcomes.items() if outcome != "ok"] == [], outcomes
