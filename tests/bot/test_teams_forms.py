"""Neutral forms rendered as Teams dialogs (Adaptive Cards) and read back from task/submit data."""

from __future__ import annotations

import pytest

from bot import forms as f
from bot import messages as m
from bot.render import teams_forms
from bot.render.teams_limits import MESSAGE_BYTES, size
from tests.bot.test_forms import FORM


def inputs(card: dict) -> dict[str, dict]:
    return {el["id"]: el for el in card["body"] if el["type"].startswith("Input.")}


def as_submitted(card: dict) -> dict:
    """What Teams sends back for a dialog nobody changed: each input's value, plus the submit's data."""
    data = {key: el.get("value", "") for key, el in inputs(card).items()}
    return data | card["actions"][0]["data"]


def test_a_form_renders_as_a_dialog_card_and_reads_back_as_prefilled():
    card = teams_forms.form_card(FORM)
    assert card["version"] == "1.5" and card["type"] == "AdaptiveCard" and size(card) < MESSAGE_BYTES
    by_key = inputs(card)
    assert [by_key[k]["type"] for k in ("title", "problem", "topics", "zone", "day", "at", "channel", "publish",
                                        "video")] == ["Input.Text", "Input.Text", "Input.ChoiceSet", "Input.ChoiceSet",
                                                      "Input.Date", "Input.Time", "Input.Text", "Input.Toggle",
                                                      "Input.Text"]
    assert by_key["title"] == {"id": "title", "label": "Title", "isRequired": True, "type": "Input.Text",
                                    "maxLength": 150, "isMultiline": False, "value": "Snow <routes>"}
    assert by_key["problem"]["isMultiline"] and by_key["video"]["style"] == "Url"
    assert by_key["topics"]["isMultiSelect"] and not by_key["topics"]["isRequired"]
    assert by_key["topics"]["placeholder"] == "Pick" and by_key["zone"]["value"] == "water"
    hint = card["body"][card["body"].index(by_key["problem"]) + 1]
    assert hint["text"] == r"For whom\." and hint["isSubtle"]
    assert any(b.get("text") == r"Between the fields: **a &amp; b**" for b in card["body"])
    submit = card["actions"][0]
    assert submit["type"] == "Action.Submit" and submit["title"] == "Share"
    got = teams_forms.submitted(as_submitted(card), user_id="29:1")
    assert (got.kind, got.state, got.user_id) == ("practice_share", '{"id": 3}', "29:1")
    assert dict(got.values) == {
        "title": "Snow <routes>", "problem": "", "topics": ("transit",), "zone": "water", "day": "2026-03-02",
        "at": "09:30", "channel": "C0GENERAL", "publish": ("publish",), "video": ""}


def test_errors_show_at_their_fields_escaped():
    form = f.Form(kind="k", title="t", errors={"title": "*Not* <at>x</at> a title."},
                  parts=(f.Field("title", "Title", "text"), f.Field("day", "Day", "date")))
    body = teams_forms.form_card(form)["body"]
    assert body[0]["errorMessage"] == "*Not* <at>x</at> a title."  # errorMessage is plain text
    assert body[1] == {"type": "TextBlock", "text": r"\*Not\* &lt;at&gt;x&lt;/at&gt; a title\.", "wrap": True,
                       "color": "Attention", "spacing": "None"}
    assert "errorMessage" not in body[2]
    dialog = teams_forms.dialog(form)["task"]
    assert dialog["type"] == "continue" and dialog["value"]["card"]["content"]["body"] == body


def test_multi_choices_and_toggles_read_back_as_tuples_and_odd_data_reads_as_empty():
    form = f.Form(kind="k", title="t", parts=(
        f.Field("topics", "Topics", "multi_select", options=(f.Option("a", "A"), f.Option("b", "B"))),
        f.Field("publish", "Publish", "checkbox", optional=True), f.Field("name", "Name", "text")))
    data = teams_forms.form_card(form)["actions"][0]["data"]
    assert teams_forms.read_form(data | {"topics": "a,b", "publish": "", "name": "x,y"}) == {
        "topics": ("a", "b"), "publish": (), "name": "x,y"}
    assert teams_forms.read_form(data) == {"topics": (), "publish": ()}  # nothing picked: nothing sent
    assert teams_forms.read_form({"a": {"b": 1}, "c": [1], "d": None, "msteams": "x"}) == {"d": ""}
    assert teams_forms.read_form("nonsense") == {} and teams_forms.submitted(None) == f.Submitted("", "", {})


def test_a_form_without_fields_only_shows_and_a_reserved_key_is_refused():
    card = teams_forms.form_card(f.Form(kind="", title="Details", parts=(m.Heading("Hello"),)))
    assert card["actions"] == [] and card["body"][0]["text"] == "Hello"
    with pytest.raises(ValueError):
        teams_forms.form_card(f.Form(kind="k", title="t", parts=(f.Field(teams_forms.FORM, "x", "text"),)))


def test_parts_that_do_not_fit_are_counted_and_fields_all_stay():
    long = m.Paragraph(m.line("y" * 3900))
    form = f.Form(kind="k", title="t", parts=(f.Field("a", "A", "text"), *(long,) * 30, f.Field("b", "B", "text")))
    card = teams_forms.form_card(form)
    assert size(card) <= MESSAGE_BYTES and set(inputs(card)) == {"a", "b"}
    assert card["body"][-1]["text"].startswith("and ") and card["body"][-1]["text"].endswith(" more")


def test_many_long_prefilled_fields_are_cut_to_fit_and_all_stay():
    form = f.Form(kind="k", title="t", parts=tuple(f.Field(f"f{n}", "F", "long_text", value="é" * 5000)
                                                   for n in range(12)))
    card = teams_forms.form_card(form)
    assert size(card) <= MESSAGE_BYTES and len(inputs(card)) == 12
    assert all(0 < len(el["value"]) < 5000 for el in inputs(card).values())
