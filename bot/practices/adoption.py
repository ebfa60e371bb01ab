"""*Adopt this practice*, as a plain function every platform's button calls.

Slack and Teams count adoptions by the
same rule and say the same words. The practice may be another approved workspace's, found through
the exchange (a Des Moines mayor in Teams adopting what Detroit shared in Slack): it is looked up
in the exchange scope, shared in a public conversation, never another workspace's private one.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot import messages as m
from bot.exchange import exchange_scope
from bot.practices import cards
from bot.practices.rules import adoption_refusal
from bot.services import Services
from storage.practices import Practice, adopt, adoption_by, adoption_of, reachable_practice, withdraw_adoption
from storage.profiles import get_profile

DELETED = "That practice was deleted."


@dataclass
class Adopted:
    """What pressing *Adopt* did: what to tell the member, whether they may withdraw, the practice."""

    message: m.Inline | str
    withdrawable: bool
    counted: bool
    practice: Practice | None


def adopt_practice(services: Services, team_id: str, user_id: str, practice_id: int | None) -> Adopted:
    """Count the member's city (from their profile) once per practice and once per member; the
    practice's card is updated in place (on the platform it was shared on) when the count changed."""
    with services.db.begin() as session:
        scope = exchange_scope(session, services.settings)
        practice = reachable_practice(session, team_id, practice_id, scope) if practice_id else None
        profile = get_profile(session, team_id, user_id)
        city = profile.city if profile else ""
        counted, recorded_by = False, ""
        message: str | m.Inline
        if practice is None:
            message = DELETED
        elif refusal := adoption_refusal(practice, city):
            message = refusal
        elif mine := adoption_by(session, practice.id, user_id):
            recorded_by = user_id
            message = m.line("You already recorded ", m.Text(mine.city, cut=120),
                             f" as adopting #{practice.id}; each member counts one city.")
        elif counted := adopt(session, practice, city, user_id, services.clock()):
            message = m.line("Thank you: ", m.Text(city, cut=120), f" now counts as adopting #{practice.id}.")
        else:
            earlier = adoption_of(session, practice.id, city)
            who = (" (", m.Mention(earlier.user_id), " recorded it)") if earlier and earlier.user_id != user_id else ()
            recorded_by = earlier.user_id if earlier else ""
            message = m.line(m.Text(city, cut=120), f" already counts as adopting #{practice.id}", *who, ".")
    if counted and practice is not None:
        cards.refresh_card(services, practice.team_id, practice.id)
    withdrawable = bool(recorded_by) and (recorded_by == user_id or services.is_moderator(team_id, user_id))
    return Adopted(message, withdrawable, counted, practice)


def withdraw(services: Services, team_id: str, user_id: str, practice_id: int | None) -> tuple[m.Inline | str, bool]:
    """*Withdraw*: whoever recorded the adoption, or a moderator; (what to say, whether it changed)."""
    moderator = services.is_moderator(team_id, user_id)  # before the session: it may read profiles
    with services.db.begin() as session:
        scope = exchange_scope(session, services.settings)
        practice = reachable_practice(session, team_id, practice_id, scope) if practice_id else None
        profile = get_profile(session, team_id, user_id)
        city = profile.city if profile else ""
        adoption = (adoption_by(session, practice.id, user_id) or adoption_of(session, practice.id, city)
                    if practice is not None else None)
        if practice is None:
            return DELETED, False
        if adoption is None:
            return m.line(m.Text(city or "Your city", cut=120), f" does not count as adopting #{practice.id}."), False
        if adoption.user_id != user_id and not moderator:
            return m.line("Only ", m.Mention(adoption.user_id), ", who recorded it, or a moderator can withdraw it."), False
        withdraw_adoption(session, adoption)
        said = m.line("Withdrawn: ", m.Text(adoption.city, cut=120), f" no longer counts as adopting #{practice.id}.")
        owner = practice.team_id
    cards.refresh_card(services, owner, practice.id)
    return said, True


def reachable(services: Services, team_id: str, practice_id: int | None) -> Practice | None:
    """The practice `team_id`'s members may adopt: their own or, through the exchange, another's."""
    if not practice_id:
        return None
    with services.db.read() as session:
        return reachable_practice(session, team_id, practice_id, exchange_scope(session, services.settings))
