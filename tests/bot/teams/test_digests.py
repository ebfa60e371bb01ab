"""Saving a digest from Teams (issue 13): `@Roundtable digest save` typed in a channel thread answers
with a button; the dialog it opens is the draft of the whole thread, read through Microsoft Graph
(the Teams emulator plays Graph, its per-tenant tokens and the team's RSC grant); submitting saves
it with Slack's rules and posts it in the thread."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, unquote

from bot.emulator.graph import chat_message
from bot.emulator.teams import TEAM_GROUP, TeamsEmulator
from storage.digests import Digest
from storage.profiles import save_profile
from tests.bot.teams.conversation import Member, actions, card_text
from tests.bot.teams.edge import TENANT
from tests.harness import TestBot, flatten

CHANNEL = "19:general@thread.tacv2"
ROOT = "1701000000000"
IN_THREAD = {"conversation": f"{CHANNEL};messageid={ROOT}", "conversation_type": "channel"}


def thread_of(replies: int = 3) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    root = chat_message(ROOT, "aad-ana", "Ana Ruiz", "<p>How did you fund the <b>hotspots</b> downtown?</p>")
    said = [
        chat_message(
            "1701000000101",
            "aad-derrick",
            "Derrick Miller",
            '<p><at id="0">Ana Ruiz</at> we used the cable franchise fee, see '
            '<a href="https://detroit.example.gov/wifi">Detroit&#39;s wifi plan</a>.</p>',
            reactions=3,
        ),
        chat_message(
            "1701000000102",
            "aad-ana",
            "Ana Ruiz",
            "<div>Thanks! &lt;script&gt;alert(1)&lt;/script&gt;<script>steal()</script></div>",
        ),
        chat_message("1701000000103", "28:bot", "Roundtable", "<p>a card</p>", application=True),
    ]
    extra = [
        chat_message(str(1701000001000 + n), f"aad-{n % 4}", f"Member {n % 4}", f"<p>Point number {n}.</p>")
        for n in range(max(0, replies - 3))
    ]
    return root, (said + extra)[:replies]


def seeded(microsoft: TeamsEmulator, replies: int = 3, consent: bool = True) -> None:
    root, said = thread_of(replies)
    microsoft.graph.seed(TEAM_GROUP, CHANNEL, root, said, tenant=TENANT)
    if consent:
        microsoft.graph.grant(TEAM_GROUP, TENANT)


def draft_dialog(
    microsoft: TeamsEmulator, teams_url: str, user: str = "29:mayor"
) -> tuple[Member, dict[str, Any]]:
    member = Member(teams_url, microsoft, user=user, where=IN_THREAD)
    card = member.say("digest save")
    [button] = [a for a in actions(card) if a["title"] == "Draft the digest"]
    return member, member.open_dialog(button)


def fields(dialog: dict[str, Any]) -> dict[str, str]:
    form = dialog["task"]["value"]["card"]["content"]
    return {e["id"]: e.get("value", "") for e in form["body"] if "id" in e}


def digests(bot: TestBot) -> list[tuple[str, str, str, str, int]]:
    with bot.db.read() as session:
        return [
            (d.team_id, d.channel_id, d.thread_ts, d.title, d.message_count)
            for d in session.query(Digest).order_by(Digest.id)
        ]


def thread_posts(microsoft: TeamsEmulator) -> list[dict[str, Any]]:
    path = f"/v3/conversations/{quote(f'{CHANNEL};messageid={ROOT}', safe='')}/activities"
    return [s for s in microsoft.sent if s["method"] == "POST" and s["path"] == path]


def test_a_digest_is_saved_from_a_teams_thread_posted_there_and_found_from_slack(
    bot: TestBot, microsoft: TeamsEmulator, teams_url: str
) -> None:
    seeded(microsoft)
    microsoft.roster = [
        {"id": f"29:member-{n}", "name": f"Member {n}", "aadObjectId": f"aad-x{n}"} for n in range(3)
    ]
    microsoft.roster.append({"id": "29:derrick", "name": "Derrick Miller", "aadObjectId": "aad-derrick"})
    with bot.db.begin() as session:  # Derrick's profile, under his Teams id
        save_profile(
            session,
            TENANT,
            "29:derrick",
            bot.clock(),
            role="cio",
            city="Detroit",
            state="MI",
            title="",
            expertise=[],
        )
    member, dialog = draft_dialog(microsoft, teams_url)
    draft = fields(dialog)
    assert draft["title"] == "How did you fund the hotspots downtown?"
    body = draft["body"]
    # Teams display names from Graph; Derrick found in the roster by his Entra id, with his profile's role and city
    assert "Participants: Ana Ruiz, Derrick Miller (CIO, Detroit)" in body
    assert "@Ana Ruiz we used the cable franchise fee" in body  # a mention is the name, no <at>
    assert "https://detroit.example.gov/wifi" in body
    assert "steal()" not in body and "<p>" not in body and "<at" not in body and "aad-" not in body
    assert "a card" not in body  # the bot's own post is no member's message
    about = card_text(dialog["task"]["value"]["card"]["content"])
    assert "From 3 messages by 2 people" in about

    before = len(thread_posts(microsoft))
    closed = member.submit_dialog(dialog, title="Funding downtown hotspots")
    assert "Saved the digest" in closed["task"]["value"]
    assert digests(bot) == [(TENANT, CHANNEL, ROOT, "Funding downtown hotspots", 3)]
    with bot.db.read() as session:
        assert session.query(Digest).one().participant_ids == [
            "aad-ana",
            "29:derrick",
        ]  # Ana is not in the roster
    [posted] = thread_posts(microsoft)[before:]
    assert "Digest: Funding downtown hotspots" in card_text(posted["body"]["attachments"][0]["content"])

    assert [c for c in microsoft.graph.calls if "/replies" in c]  # read through Graph, with a Graph token
    bot.command("/digest", "search franchise fee")
    found = flatten(bot.replies()[-1])
    assert "Funding downtown hotspots" in found  # a team's standard channel is public
    assert "in Microsoft Teams · saved by A Mayor" in found and "19:" not in found and "29:" not in found
    bot.command("/practice", "search franchise fee")  # the digest tier of a practice search names it alike
    found = flatten(bot.replies()[-1])
    assert "Funding downtown hotspots" in found
    assert "in Microsoft Teams" in found and "19:" not in found and "29:" not in found


def test_a_thread_longer_than_a_page_is_read_to_its_end(
    bot: TestBot, microsoft: TeamsEmulator, teams_url: str
) -> None:
    microsoft.graph.page_size = 10
    seeded(microsoft, replies=45)
    _, dialog = draft_dialog(microsoft, teams_url)
    pages = [unquote(c) for c in microsoft.graph.calls if "/replies" in c]
    assert len(pages) == 5 and "$skiptoken=40" in pages[-1]
    assert "From 45 messages by" in card_text(
        dialog["task"]["value"]["card"]["content"]
    )  # root + 44 members'


def test_without_consent_in_the_team_the_member_is_told_and_nothing_is_saved(
    bot: TestBot, microsoft: TeamsEmulator, teams_url: str
) -> None:
    seeded(microsoft, consent=False)
    _, dialog = draft_dialog(microsoft, teams_url)
    assert dialog["task"]["type"] == "message"
    assert dialog["task"]["value"].startswith("Roundtable cannot read this thread: ask a team owner to")
    assert digests(bot) == [] and thread_posts(microsoft) == []


def test_a_dropped_graph_or_a_gone_thread_is_a_clear_reply_and_nothing_is_saved(
    bot: TestBot, microsoft: TeamsEmulator, teams_url: str
) -> None:
    seeded(microsoft)
    microsoft.graph.fail_next = [0]  # the connection drops while the thread is read
    _, dialog = draft_dialog(microsoft, teams_url)
    assert dialog["task"]["value"] == "I couldn't read this thread just now. Please try again in a minute."
    microsoft.graph.threads.clear()  # the root post was deleted
    _, dialog = draft_dialog(microsoft, teams_url)
    assert dialog["task"]["value"] == "That thread is gone: it may have been deleted."
    assert digests(bot) == [] and thread_posts(microsoft) == []


def test_a_refused_draft_shows_its_errors_in_the_dialog(
    bot: TestBot, microsoft: TeamsEmulator, teams_url: str
) -> None:
    seeded(microsoft)
    member, dialog = draft_dialog(microsoft, teams_url)
    again = member.submit_dialog(dialog, title="")
    form = again["task"]["value"]["card"]["content"]
    assert "Give the digest a title" in card_text(form)
    assert fields(again)["body"] == fields(dialog)["body"]  # the member's text kept
    assert digests(bot) == []
    saved = member.submit_dialog(again, title="Second try")
    assert "Saved the digest" in saved["task"]["value"] and [d[3] for d in digests(bot)] == ["Second try"]


def test_another_members_press_reads_nothing_and_outside_a_thread_the_reason_is_given(
    bot: TestBot, microsoft: TeamsEmulator, teams_url: str
) -> None:
    seeded(microsoft)
    card = Member(teams_url, microsoft, user="29:mayor", where=IN_THREAD).say("digest save")
    [button] = [a for a in actions(card) if a["title"] == "Draft the digest"]
    other = Member(teams_url, microsoft, user="29:cio", where=IN_THREAD).open_dialog(button)
    assert "for the member who asked for it" in other["task"]["value"]
    assert microsoft.graph.calls == []

    top = Member(
        teams_url, microsoft, user="29:mayor", where={"conversation": CHANNEL, "conversation_type": "channel"}
    )
    assert "reply in the thread with @Roundtable digest save" in card_text(top.say("digest save"))
    assert "reply in the thread" in card_text(
        Member(teams_url, microsoft, user="29:mayor").say("digest save")
    )


def test_the_message_action_opens_the_threads_draft_and_saves_it(
    bot: TestBot, microsoft: TeamsEmulator, teams_url: str
) -> None:
    """*Save discussion digest* in a reply's "More actions" menu (composeExtension/fetchTask with the
    message it was used on): the draft of the reply's thread, saved through the same dialog."""
    seeded(microsoft)
    member = Member(
        teams_url, microsoft, user="29:mayor", where={"conversation": CHANNEL, "conversation_type": "channel"}
    )
    action = {
        "commandId": "saveDigest",
        "commandContext": "message",
        "messagePayload": {
            "id": "1701000000102",
            "replyToId": ROOT,
            "messageType": "message",
            "body": {"contentType": "html", "content": "Thanks!"},
        },
    }
    dialog = member.invoke("composeExtension/fetchTask", action)
    assert fields(dialog)["title"] == "How did you fund the hotspots downtown?"
    form = dialog["task"]["value"]["card"]["content"]
    data = {**fields(dialog), "title": "Hotspot funding", **form["actions"][0]["data"]}
    saved = member.invoke(
        "composeExtension/submitAction",
        {"commandId": "saveDigest", "commandContext": "message", "data": data},
    )
    assert "Saved the digest" in saved["task"]["value"]
    assert [d[3] for d in digests(bot)] == ["Hotspot funding"] and thread_posts(microsoft)

    chat = Member(teams_url, microsoft, user="29:mayor")  # a personal chat has no threads to digest
    refused = chat.invoke("composeExtension/fetchTask", {**action, "messagePayload": {"id": "1"}})
    assert refused["task"]["value"] == (
        "A digest sums up a thread of a team's channel: reply in the thread with @Roundtable digest save, "
        "and I read the whole thread."
    )
