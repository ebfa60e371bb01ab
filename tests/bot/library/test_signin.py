"""Sign in with Slack against the emulator: state, nonce, approved workspace, signed session cookie."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from bot.library.session import SESSION_COOKIE, SIGNIN_COOKIE
from tests.bot.library.steps import SECRET_KEY, exchange, get, library, no_redirect
from tests.harness import TestBot


def cookie_value(set_cookie: str) -> str:
    return set_cookie.split(";", 1)[0].split("=", 1)[1]


def sign_in(bot: TestBot, app, next_path: str = "/library"):  # type: ignore[no-untyped-def]
    """Start the sign-in, pass the emulator's consent page; (callback answer, the attempt cookie)."""
    started = get(app, "/library/signin", f"next={next_path}")
    assert started.status == 302
    location = started.header("location")
    args = parse_qs(urlsplit(location).query)
    assert location.startswith(bot.emulator.base_url + "openid/connect/authorize?")
    assert args["state"][0] and args["nonce"][0] and args["scope"] == ["openid,profile"]
    attempt = cookie_value(next(c for c in started.cookies() if c.startswith(SIGNIN_COOKIE)))
    back = parse_qs(urlsplit(no_redirect(location)).query)
    answer = get(app, "/library/signin/callback", f"code={back['code'][0]}&state={back['state'][0]}",
                 {SIGNIN_COOKIE: attempt})
    return answer, attempt


def test_members_sign_in_with_slack_and_see_everything(bot: TestBot) -> None:
    ids = exchange(bot)
    app = library(bot, public=False)
    refused = get(app, "/library")
    assert refused.status == 401 and "Sign in with Slack" in refused.body and "Wireless" not in refused.body
    assert get(app, f"/library/practices/{ids['public']}").status == 401
    answer, _ = sign_in(bot, app, f"/library/practices/{ids['unpublished']}")
    assert answer.status == 303 and answer.header("location") == f"/library/practices/{ids['unpublished']}"
    session = next(c for c in answer.cookies() if c.startswith(SESSION_COOKIE))
    assert "HttpOnly" in session and "SameSite=Lax" in session and "Path=/library" in session
    cookies = {SESSION_COOKIE: cookie_value(session)}
    home = get(app, "/library", cookies=cookies)
    assert home.status == 200 and "Signed in as Dianah Neff" in home.body
    for title in ("Wireless hotspots downtown", "tax portal", "permits"):
        assert title in home.body
    page = get(app, f"/library/practices/{ids['private']}", cookies=cookies)
    assert page.status == 200 and page.header("cache-control") == "private, no-store"
    assert "Open its card in Slack" not in page.body  # its card is in a private channel
    assert get(app, "/library/digests", cookies=cookies).status == 200
    out = get(app, "/library/signout", method="POST", cookies=cookies)
    assert out.status == 303 and any("Max-Age=0" in c for c in out.cookies())


def test_a_callback_without_the_state_it_was_given_signs_nobody_in(bot: TestBot) -> None:
    exchange(bot)
    app = library(bot, public=False)
    started = get(app, "/library/signin")
    back = parse_qs(urlsplit(no_redirect(started.header("location"))).query)
    attempt = cookie_value(started.cookies()[0])
    for query, cookies in ((f"code={back['code'][0]}&state=forged", {SIGNIN_COOKIE: attempt}),
                           (f"code={back['code'][0]}&state={back['state'][0]}", {}),
                           (f"code={back['code'][0]}&state={back['state'][0]}", {SIGNIN_COOKIE: attempt + "x"})):
        answer = get(app, "/library/signin/callback", query, cookies)
        assert answer.status == 400 and not any(c.startswith(SESSION_COOKIE + "=") for c in answer.cookies())
    assert bot.emulator.calls_to("openid.connect.token") == []  # refused before any code is spent


def test_an_id_token_for_another_nonce_is_refused(bot: TestBot) -> None:
    exchange(bot)
    app = library(bot, public=False)
    started = get(app, "/library/signin")
    back = parse_qs(urlsplit(no_redirect(started.header("location"))).query)
    other = app.attempts.sign({"state": back["state"][0], "nonce": "someone-elses", "next": "/library"},
                              app.now(), 600)
    answer = get(app, "/library/signin/callback", f"code={back['code'][0]}&state={back['state'][0]}",
                 {SIGNIN_COOKIE: other})
    assert answer.status == 400 and "not started here" in answer.body
    assert not any(c.startswith(SESSION_COOKIE + "=") for c in answer.cookies())


def test_a_member_of_another_workspace_is_not_signed_in(bot: TestBot) -> None:
    exchange(bot)
    bot.emulator.openid_team = "T0ELSEWHERE"
    app = library(bot, public=False)
    answer, _ = sign_in(bot, app)
    assert answer.status == 403 and not any(c.startswith(SESSION_COOKIE + "=") for c in answer.cookies())


def test_a_forged_or_expired_session_is_nobody(bot: TestBot) -> None:
    exchange(bot)
    app = library(bot, public=False)
    from bot.library.session import Signer

    forged = Signer(("another-key-entirely-0123456789",), "library session").sign(
        {"team": "T0ROUNDTBL", "user": "U0MEMBER", "name": "x"}, app.now(), 3600)
    expired = app.sessions.sign({"team": "T0ROUNDTBL", "user": "U0MEMBER", "name": "x"}, app.now() - 7200, 3600)
    for value in (forged, expired, "garbage", "a.b"):
        assert get(app, "/library", cookies={SESSION_COOKIE: value}).status == 401
    assert SECRET_KEY not in forged


def test_the_next_page_is_always_a_library_page(bot: TestBot) -> None:
    exchange(bot)
    app = library(bot, public=False)
    for wanted in ("https://evil.example/", "//evil.example", "/library/../x", "/elsewhere"):
        answer, _ = sign_in(bot, app, wanted)
        assert answer.header("location") == "/library", wanted


def test_sign_in_when_slack_cannot_be_reached_is_refused_in_words_not_a_traceback() -> None:
    import socket

    import pytest
    from slack_sdk import WebClient

    from bot.library.signin import SignInRefused, finish

    with socket.socket() as closed:  # a port nothing listens on: the connection is refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    client = WebClient(base_url=f"http://127.0.0.1:{port}/api/", timeout=2)
    with pytest.raises(SignInRefused, match="could not be reached"):
        finish(client, client_id="1.2", client_secret="s", code="c", redirect_uri="http://127.0.0.1/cb",
               nonce="n", now=0.0)
