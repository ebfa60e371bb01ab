"""The demo workspace's digest: the 2004 roundtable's own thread, in the words said there."""

from __future__ import annotations

from datetime import timedelta

from bot.demo.roundtables import CHANNEL
from bot.services import Services
from storage.digests import DigestText, save_digest

DEMO_THREAD = (CHANNEL, "1089302400.000100")  # Boston, July 2004
DEMO_BODY = """Participants: Michael A. Guido (Mayor, Dearborn), Derrick Miller (CIO, Detroit), Dianah Neff (CIO, Philadelphia), Frank Cownie (Mayor, Des Moines), Bill Schrier (CIO, Seattle)

Key points:
• Michael A. Guido: “We are here to learn from one another and to help mayors and their city's technology professionals better communicate with one another.”
• Frank Cownie: “As we figure out what our needs are, we turn to our information technology people and ask: How do we meet these needs?”
• Bill Schrier: “We (CIOs) just don't have an opportunity to talk to the mayors like this. It's important that we do it again.”

Practices mentioned:
• Wireless hotspots that drew young people downtown (Detroit)
• Twelve tax systems collapsed into one (Philadelphia)"""


def load(services: Services, team_id: str) -> None:
    """Console demo: the 2004 roundtable's own digest, saved two days ago, in the words said there."""
    text = DigestText(*DEMO_THREAD, title="Boston roundtable, July 2004: keep talking, share more practices",
                      body=DEMO_BODY, participant_ids=["U0GUIDO", "U0MILLER", "U0NEFF", "U0COWNIE", "U0SCHRIER"],
                      message_count=14)
    with services.db.begin() as session:
        save_digest(session, team_id, "U0GUIDO", text, services.clock() - timedelta(days=2))


