"""The one-line practice commands every platform shares: `practice search <words>` and
`practice <title>. <summary>`. Slack and Teams call the same
rules and wording; each platform only delivers the answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot import messages as m
from bot.digests.commands import other_platforms
from bot.exchange import exchange_scope
from bot.practices import blocks
from bot.practices.origins import origins
from bot.practices.rules import QUICK_SHARE_MAX, SearchRequest, parse_quick_share, parse_search, validate
from bot.practices.slips import find_slip
from bot.services import Services
from bot.topics import topic_label
from storage.digests import DigestLink, search_digest_links
from storage.practice_rows import PracticeRow, insert_practice, search_with_cities
from storage.practices import Practice, adopting_cities, known_cities, list_practices
from storage.profiles import Profile, read_profile
from storage.search import search_terms

NARROW = ("Narrow with ", m.code("#topic"), " or ", m.code("city:Name"))
SEARCH_HINT = m.line(*NARROW, " · ", m.code("/practice show <id>"), " shows everything")


@dataclass(frozen=True)
class Commands:
    """How members type the practice commands on a platform, and whether it answers the others
    (`list`, `show`): answers offer only what works where they are shown."""

    prefix: str
    all_of_them: bool


SLACK = Commands("/practice", True)


def read_filters(services: Services, team_id: str, text: str) -> SearchRequest:
    """Words, `#topics` and `city:Name` (of any length the exchange knows a city by)."""
    if "city:" not in text.lower():
        return parse_search(text)
    with services.db.read() as session:
        return parse_search(text, known_cities(session, team_id))


def filters_text(request: SearchRequest) -> m.Inline:
    filters = [topic_label(t) for t in request.topics] + ([f"city: {request.city}"] if request.city else [])
    return (m.Text(" ("), m.Text(", ".join(filters), cut=300), m.Text(")")) if filters else ()


def search_answer(services: Services, team_id: str, text: str, here: str = "",
                  commands: Commands = SLACK) -> m.Message | str:
    """The answer to `practice search <text>` in workspace `team_id` (`here`: the asking conversation)."""
    request = read_filters(services, team_id, text)
    words = bool(search_terms(request.query))
    if not words and not (request.topics or request.city):
        return f"Search for some words: `{commands.prefix} search wireless downtown #open-data city:Detroit`."
    found: Sequence[Practice | PracticeRow]
    digests: list[DigestLink] = []
    if words:  # the practices with their adopting cities, in one statement after the ranking; all Core
        with services.db.read_core() as conn:
            teams = exchange_scope(conn, services.settings)
            found = search_with_cities(conn, team_id, request.query, topics=request.topics, city=request.city,
                                       limit=10, teams=teams)
            cities = {row.id: row.cities for row in found}
            if not (request.topics or request.city):  # digests have no topics or city: they answer the words alone
                digests = search_digest_links(conn, team_id, request.query, blocks.DIGESTS_SHOWN + 1, here=here,
                                              teams=teams)
    else:  # only filters: the latest practices that pass them
        with services.db.read() as session:
            teams = exchange_scope(session, services.settings)
            found = list_practices(session, team_id, topics=request.topics, city=request.city, teams=teams)
            cities = adopting_cities(session, [p.id for p in found])
    where = filters_text(request)
    count = f"{len(found)} practice{'s' if len(found) != 1 else ''}"
    query = (" for ", m.italic(request.query, cut=200)) if words else ()
    heading = m.line(m.bold(count), *query, *where, ", " + ("best match first:" if words else "newest first:"))
    listing = (", or ", m.code(f"{commands.prefix} list")) if commands.all_of_them else ()
    empty = m.line("No practices", *query, *where, ". Try other or fewer words", *listing, ".")
    hint = SEARCH_HINT if commands.all_of_them else m.line(*NARROW)
    elsewhere = {i: platform for i, (platform, _) in other_platforms(services, team_id, digests).items()}
    return blocks.build_results(heading, found, cities, empty, hint, digests, origins(services, team_id, found),
                                elsewhere)


def quick_share(services: Services, team_id: str, user_id: str, text: str, *,
                as_typed: bool = False) -> tuple[Practice, Profile | None] | m.Message | str:
    """`practice <title>. <summary>`: the new practice and the sharer's profile, or the refusal to show."""
    if len(text) > QUICK_SHARE_MAX:
        return (f"That is {len(text):,} characters; a one-line share holds {QUICK_SHARE_MAX:,}. "
                "Use `/practice` alone for the form, where each part has room.")
    slip = None if as_typed else find_slip(text)
    if slip is not None:  # a mistyped command or a fragment is never published
        return blocks.build_slip(slip.typed, slip.command)
    # the profile (its city is the default; kept across commands), then the rows: one statement on
    # PostgreSQL (in autocommit), one unit of work under the writer lock on SQLite
    with services.db.standalone() as conn:
        profile = services.profiles.profile(team_id, user_id, lambda: read_profile(conn, team_id, user_id))
        draft = parse_quick_share(text, profile.city if profile else "")
        if validate(draft, required=("title",)):  # refused before anything is written
            return ("Start with a title: `/practice Wireless hotspots downtown. What we did...` "
                    "(`/practice help` for more).")
        practice = insert_practice(conn, team_id, user_id, services.clock(), topics=draft.topics, **draft.fields())
    return practice, profile
