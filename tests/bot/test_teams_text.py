"""Adaptive Cards read as terminal text: what a Teams reader would see, member text as typed."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import event, given

from bot import forms as f
from bot import messages as m
from bot.render import teams, teams_forms, teams_text
from tests.faults.strategies import modest, user_text


def test_a_card_reads_as_its_reader_sees_it():
    message = m.Message(m.line("fallback"), (
        m.Heading("Snow *routes* <at>x</at>"),
        m.Paragraph((m.Text("By "), m.Mention("29:1"), m.Text(" at "),
                     m.LocalTime(datetime(2026, 3, 2, 14, 30, tzinfo=UTC), "x", "short", True), m.Text(": "),
                     m.Link("https://example.org/a", m.Text("the [plan]"))), button=m.Button("Open", "open", "7")),
    ))
    text = teams_text.card_text(teams.card(message, {"29:1": "Ada"}.get))
    assert text.splitlines() == ["Snow *routes* <at>x</at>",
                                 "By @Ada at Mon Mar 2, 2026 14:30 UTC: the [plan] (https://example.org/a)", "[Open]"]


def test_a_dialog_reads_as_its_fields_and_submit():
    form = f.Form(kind="k", title="t", submit="Share", parts=(
        f.Field("title", "Title", "text", value="a_b"),
        f.Field("topics", "Topics", "multi_select", value=("b",), options=(f.Option("a", "A"), f.Option("b", "B")),
                optional=True),
        f.Field("publish", "Publish", "checkbox", value=("publish",))))
    assert teams_text.card_text(teams_forms.form_card(form)).splitlines() == [
        "Title: a_b", "Topics: B (optional)", "Publish: yes (optional)", "[Share]"]


@modest
@given(user_text)
def test_member_text_reads_back_as_typed(typed: str) -> None:
    card = teams.card(m.Message(m.line("x"), (m.Paragraph(m.line(typed)),)))
    shown = teams_text.card_text(card)
    event("blank" if not typed.strip() else "shown whole" if shown == typed else "cut to fit its TextBlock")
    if typed.strip() and shown != typed:  # cut: what is shown is how the text starts, then "…"
        assert shown.endswith("…") and typed.startswith(shown[:-1]), (typed[:80], shown[:80])
