"""A kept connection's reply (bot/keepalive.py KeptResponse, its headers read without the email
parser) reads as http.client's HTTPResponse reads it, header block by header block."""

from __future__ import annotations

import http.client
import io
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bot.keepalive import KeptResponse, charset_of

NAMES = st.one_of(st.sampled_from(["Content-Type", "content-length", "Connection", "Retry-After", "retry-after",
                                   "Transfer-Encoding", "X-Slack-Req-Id", "Set-Cookie", "From", "Keep-Alive"]),
                  st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=8))
VALUES = st.one_of(st.sampled_from(["text/html; charset=utf-8", "application/json", "close", "keep-alive", "7",
                                    "chunked", "text/plain; CHARSET=\"latin-1\"", ""]),
                   st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=16))
ENDS = st.sampled_from(["\r\n", "\n"])
ODD = st.sampled_from(["  folded continuation\r\n", "\tfolded\r\n", "no colon here\r\n", ": no name\r\n",
                       "From someone\r\n", "Bad\rCR: x\r\n", "Name : spaced\r\n"])


@st.composite
def replies(draw: st.DrawFn) -> bytes:
    """A status line, a header block (mostly plain lines, sometimes odd ones), a blank line, a body."""
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(ODD))
        else:
            lines.append(f"{draw(NAMES)}:{draw(st.sampled_from(['', ' ', '  ', chr(9)]))}{draw(VALUES)}{draw(ENDS)}")
    status = draw(st.sampled_from(["HTTP/1.1 200 OK", "HTTP/1.1 429 Too Many Requests", "HTTP/1.0 500 Oops",
                                   "HTTP/1.1 204 No Content"]))
    body = draw(st.binary(max_size=40))
    return f"{status}\r\n{''.join(lines)}\r\n".encode("latin-1") + body


class Socket:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def makefile(self, _mode: str) -> io.BytesIO:
        return io.BytesIO(self.data)


def read(cls: type[http.client.HTTPResponse], data: bytes) -> tuple[Any, ...]:
    response = cls(Socket(data), method="POST")  # type: ignore[arg-type]
    try:
        response.begin()
    except Exception as error:  # noqa: BLE001 - the kind is what is compared
        return (type(error).__name__,)
    headers = response.headers
    return (response.status, response.reason, response.version, headers.items(), response.will_close,
            response.chunked, response.length, headers.get_content_type(), headers.get_content_charset(),
            headers.get("retry-after"), charset_of(headers), type(headers))


@given(replies())
def test_a_reply_reads_as_http_client_reads_it(data: bytes) -> None:
    assert read(KeptResponse, data) == read(http.client.HTTPResponse, data)


def test_a_plain_header_block_skips_the_email_parser(monkeypatch: Any) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("email parser used")

    monkeypatch.setattr("email.parser.Parser.parsestr", refuse)
    data = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nok"
    response = KeptResponse(Socket(data), method="POST")  # type: ignore[arg-type]
    response.begin()
    assert (response.read(), response.headers.items(), charset_of(response.headers)) == (
        b"ok", [("Content-Type", "text/html"), ("Content-Length", "2")], "utf-8")
