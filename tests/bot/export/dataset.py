"""A fixed exchange for export tests: two workspaces, every kind of record, private and deleted ones.

`EXPECTED` says which records an unfiltered export of public content must hold, written down
here, not read back from the export.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from bot.roundtables.meetings import REMINDER_KIND
from storage import conversations
from storage.db import Database
from storage.deliveries import enqueue, get_delivery, mark_sent
from storage.digests import DigestText, record_post, save_digest
from storage.practices import add_practice, adopt, delete_practice, update_practice
from storage.profiles import save_profile
from storage.questions import add_answer, add_question
from storage.roundtables import Roundtable, set_rsvp
from storage.roundups import claim_roundup, record_content, record_posted

TEAM, OTHER = "T0ROUNDTBL", "T0OTHER"
PUBLIC, PRIVATE, DM = "C0GENERAL", "G0EXECSESSION", "D0MILLER"
MILLER, SCHRIER, COWNIE, KILPATRICK = "U0MILLER", "U0SCHRIER", "U0COWNIE", "U0KILPATRICK"
MARCH = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
JULY = datetime(2026, 7, 10, 15, 0, tzinfo=UTC)
REMINDER_TS = "1773946800.000500"
NAMES = {MILLER: "Derrick Miller", SCHRIER: "Bill Schrier", COWNIE: "Frank Cownie", KILPATRICK: "Kwame Kilpatrick"}


def mark_public(session: Session, team_id: str, channel_id: str) -> None:
    """What the bot learns from a public channel's events; the others stay unknown, so private."""
    conversations.record(session, team_id, channel_id, True, MARCH)


def load(db: Database) -> dict[str, dict[str, set[object]]]:
    """Fill `db`; the record keys of each kind: public ones, TEAM's private ones, OTHER's private ones."""
    keys: dict[str, dict[str, set[object]]] = {}

    def expect(kind: str, key: object, private: bool = False, team: str = TEAM) -> None:
        group = "public" if not private else "private" if team == TEAM else "other_private"
        keys.setdefault(kind, {"public": set(), "private": set(), "other_private": set()})[group].add(key)

    with db.begin() as session:
        mark_public(session, TEAM, PUBLIC)
        mark_public(session, OTHER, PUBLIC)
        for user, city in ((MILLER, "Detroit"), (SCHRIER, "Seattle"), (COWNIE, "Des Moines"), (KILPATRICK, "Detroit")):
            save_profile(session, TEAM, user, MARCH, role="cio", city=city, state="", title="", expertise=[])
        hotspots = add_practice(session, TEAM, MILLER, MARCH, topics=["wireless", "downtown"],
                                title="Wireless hotspots", city="Detroit", solution="=HYPERLINK(\"x\")",
                                channel_id=PUBLIC, asked_by=COWNIE, saved_by=KILPATRICK)
        hotspots.message_ts = "1772463600.000100"
        update_practice(session, hotspots, MARCH + timedelta(days=3), by=KILPATRICK, topics=["wireless"],
                        title="Wireless hotspots, year two", solution="Free wifi in the squares; \"quoted\", commas")
        taxes = add_practice(session, TEAM, SCHRIER, MARCH + timedelta(days=1), topics=[], title="12 tax systems",
                             city="Seattle", problem="Line one\nline two")
        delete_practice(session, taxes, MARCH + timedelta(days=20), by=SCHRIER)
        late = add_practice(session, TEAM, COWNIE, JULY, topics=[], title="Snow routes", city="Des Moines")
        other = add_practice(session, OTHER, "U0ELSE", MARCH, topics=[], title="Elsewhere", city="Boston")
        for practice in (hotspots, taxes, late, other):
            expect("practices", practice.id)
        for key in ((hotspots.id, 1), (hotspots.id, 2), (taxes.id, 1), (taxes.id, 2), (late.id, 1), (other.id, 1)):
            expect("practice_revisions", key)
        adopt(session, hotspots, "Seattle", SCHRIER, MARCH + timedelta(days=4))
        adopt(session, hotspots, "Des Moines", COWNIE, JULY)
        expect("adoptions", (hotspots.id, "Seattle"))
        expect("adoptions", (hotspots.id, "Des Moines"))

        asked = add_question(session, TEAM, PUBLIC, "1772550000.000200", COWNIE, "How did you fund the hotspots?",
                             MARCH + timedelta(days=1))
        assert asked is not None
        add_answer(session, asked, "1772550100.000300", MILLER, "A bond & a <grant>", MARCH + timedelta(days=2))
        add_answer(session, asked, "1772550200.000400", SCHRIER, "Ours was a levy", MARCH + timedelta(days=2))
        asked.answer_ts, asked.status, asked.closed_by = "1772550100.000300", "answered", COWNIE
        asked.closed_at = MARCH + timedelta(days=3)
        secret = add_question(session, TEAM, PRIVATE, "1772550300.000500", MILLER, "Budget cuts next year?",
                              MARCH + timedelta(days=2))
        assert secret is not None
        add_answer(session, secret, "1772550400.000600", KILPATRICK, "Not in public", MARCH + timedelta(days=2))
        elsewhere = add_question(session, OTHER, PRIVATE, "1772550500.000700", "U0ELSE", "Their secret?", MARCH)
        assert elsewhere is not None
        expect("questions", asked.id)
        expect("questions", secret.id, private=True)
        expect("questions", elsewhere.id, private=True, team=OTHER)
        expect("answers", "1772550100.000300")
        expect("answers", "1772550200.000400")
        expect("answers", "1772550400.000600", private=True)

        digest = save_digest(session, TEAM, COWNIE, DigestText(PUBLIC, "1772550000.000200", "Funding hotspots",
                             "Bonds and levies.", [COWNIE, MILLER], 3), MARCH + timedelta(days=4))
        record_post(session, TEAM, digest.id, "1772550900.000900", "")
        hidden = save_digest(session, TEAM, MILLER, DigestText(DM, "1772551000.000100", "Between us", "Private.",
                             [MILLER], 1), MARCH + timedelta(days=4))
        expect("digests", digest.id)
        expect("digests", hidden.id, private=True)

        meeting = Roundtable(team_id=TEAM, channel_id=PUBLIC, title="Spring roundtable", agenda="Wireless",
                             starts_local="2026-03-20T15:00", timezone="America/Chicago", rrule="",
                             cancelled_starts=[], duration_minutes=60, reminder_minutes=[60], video_url="",
                             created_by=KILPATRICK, created_at=MARCH, updated_at=MARCH, schedule_set_at=MARCH)
        executive = Roundtable(team_id=TEAM, channel_id=PRIVATE, title="Executive session", agenda="Budget",
                               starts_local="2026-03-21T09:00", timezone="America/Detroit", rrule="",
                               cancelled_starts=[], duration_minutes=60, reminder_minutes=[], video_url="",
                               created_by=KILPATRICK, created_at=MARCH, updated_at=MARCH, schedule_set_at=MARCH)
        session.add_all([meeting, executive])
        session.flush()
        set_rsvp(session, team_id=TEAM, roundtable_id=executive.id, occurrence="20260321T1300Z", user_id=MILLER,
                 answer="going", name=NAMES[MILLER], now=MARCH)
        expect("roundtables", executive.id, private=True)
        expect("rsvps", (executive.id, MILLER), private=True)
        for user, answer in ((MILLER, "going"), (COWNIE, "maybe")):
            set_rsvp(session, team_id=TEAM, roundtable_id=meeting.id, occurrence="20260320T2000Z", user_id=user,
                     answer=answer, name=NAMES[user], now=MARCH + timedelta(days=5))
            expect("rsvps", (meeting.id, user))
        expect("roundtables", meeting.id)
        for minutes, sent in ((60, True), (1440, False)):  # one reminder posted, one still waiting
            key = f"{meeting.id}/20260320T2000Z/{minutes}m"
            enqueue(session, team_id=TEAM, kind=REMINDER_KIND, key=key, channel_id=PUBLIC,
                    due_at=MARCH + timedelta(days=18), now=MARCH)
            if sent:
                delivery = get_delivery(session, TEAM, REMINDER_KIND, key)
                assert delivery is not None
                mark_sent(session, delivery.id, REMINDER_TS, MARCH + timedelta(days=18))

        for key, text, posted in (("2026-W11", "Detroit shared Wireless hotspots", True), ("2026-W12", "", False)):
            claim_roundup(session, TEAM, key, "schedule", PUBLIC, MARCH + timedelta(days=7), timezone="UTC")
            record_content(session, TEAM, key, "Roundup", text, [], PUBLIC)
            if posted:
                record_posted(session, TEAM, key, "1773068400.000100", MARCH + timedelta(days=7))
                expect("roundups", "1773068400.000100")
    return keys
