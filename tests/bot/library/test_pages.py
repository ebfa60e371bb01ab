"""The web library's pages: what the public sees, what members see, escaping and headers."""

from __future__ import annotations

import logging
import re

import pytest

from tests.bot.library.steps import exchange, get, library, share
from tests.harness import TestBot


def test_the_public_library_shows_only_published_practices_of_public_channels(bot: TestBot) -> None:
    ids = exchange(bot)
    app = library(bot, public=True)
    home = get(app, "/library")
    assert home.status == 200
    assert "Wireless hotspots downtown" in home.body
    assert "tax portal" not in home.body and "permits" not in home.body
    found = get(app, "/library", "q=wireless")
    assert found.status == 200 and "Wireless hotspots downtown" in found.body
    assert "tax portal" not in found.body and "permits" not in found.body and "1 practice found" in found.body
    assert get(app, f"/library/practices/{ids['public']}").status == 200
    for hidden in ("private", "unpublished"):
        page = get(app, f"/library/practices/{ids[hidden]}")
        assert page.status == 404 and "Wireless" not in page.body
    assert get(app, "/library/digests").status == 404  # digests are for signed-in members


def test_a_practice_page_holds_everything_and_links_only_public_cards(bot: TestBot) -> None:
    ids = exchange(bot)
    app = library(bot, public=True)
    page = get(app, f"/library/practices/{ids['public']}")
    for text in ("Young people left downtown after work.", "Free wireless in the squares.",
                 "Downtown busy at night.", "Derrick Miller (Detroit)", "Not adopted elsewhere yet"):
        assert text in page.body
    assert "https://roundtable.slack.com/archives/" in page.body  # the card's permalink
    assert page.header("cache-control") == "public, max-age=60"


def test_member_text_is_escaped_and_headers_are_strict(bot: TestBot) -> None:
    exchange(bot)
    hostile = '<script>alert(1)</script> & "quotes" <img src=x onerror=alert(2)>'
    practice_id = share(bot, hostile[:150], published=True, problem=hostile)
    app = library(bot, public=True)
    for path, query in ((f"/library/practices/{practice_id}", ""), ("/library", "q=script+alert"),
                        ("/library", "q=%3Cscript%3E&city=%3Cb%3Ex")):
        answer = get(app, path, query)
        assert answer.status == 200
        assert "<script" not in answer.body and "<img" not in answer.body and "<b>x" not in answer.body
    page = get(app, f"/library/practices/{practice_id}")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quotes&#34;" in page.body
    csp = page.header("content-security-policy")
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "script" not in csp
    assert page.header("x-content-type-options") == "nosniff" and page.header("x-frame-options") == "DENY"
    assert page.header("content-type") == "text/html; charset=utf-8"
    assert re.search(r'<a class="skip" href="#main">', page.body) and '<main id="main"' in page.body


def test_bad_input_gets_a_page_not_an_error(bot: TestBot) -> None:
    exchange(bot)
    app = library(bot, public=True)
    for path, query in (("/library/practices/99999999999", ""), ("/library/practices/0", ""),
                        ("/library/nowhere", ""), ("/library", "q=%00%FF%27%22&topic=%3Cx%3E&city=" + "x" * 400)):
        answer = get(app, path, query)
        assert answer.status in (200, 404), (path, answer.status)
        assert "Traceback" not in answer.body
    assert get(app, "/library", "q=" + "a" * 3000).status == 414
    assert get(app, "/library", method="POST").status == 405


def test_without_sign_in_or_public_mode_there_is_no_library(bot: TestBot) -> None:
    app = library(bot, public=False, client_id="", client_secret="")
    assert not app.enabled
    assert get(app, "/library").status == 404


def test_a_database_failure_is_a_short_page_and_too_many_fields_a_400(
        bot: TestBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from sqlalchemy.exc import OperationalError

    caplog.set_level(logging.INFO, "roundtable.library")
    exchange(bot)
    app = library(bot, public=True)

    def down() -> None:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(app.db, "begin", down)
    answer = get(app, "/library")
    assert answer.status == 503 and "temporarily unavailable" in answer.body and "Traceback" not in answer.body
    assert get(app, "/library", "&".join(f"a{n}=1" for n in range(30))).status == 400
    lines = [r.getMessage() for r in caplog.records if r.name == "roundtable.library" and r.getMessage().startswith("library index")]
    assert lines == ["library index 503", "library index 400"]  # one line per request, no query text


def test_the_edge_routes_the_library_with_its_body_cap(bot: TestBot) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from bot import web
    from bot.signing import RequestSigning
    from tests.bot.test_web import call
    from tests.harness import SIGNING_SECRET

    exchange(bot)
    with ThreadPoolExecutor(2) as pool:
        edge = web.SlackEdge(bot.app, bot.db, RequestSigning(SIGNING_SECRET), pool, library(bot, public=True))
        assert call(edge, "GET", "/library")[0] == 200
        assert call(edge, "GET", "/library/static/library.css")[0] == 200
        status, _, asked = call(edge, "GET", "/library", [("content-length", str(web.MAX_BODY_BYTES + 1))])
        assert status == 413 and asked == 0
        assert call(edge, "GET", "/librarything")[0] == 404
        bare = web.SlackEdge(bot.app, bot.db, RequestSigning(SIGNING_SECRET), pool)
        assert call(bare, "GET", "/library")[0] == 404
