"""Neutral forms rendered as Slack modals and read back from view submissions."""

from __future__ import annotations

from bot import forms as f
from bot import messages as m
from bot import payloads
from bot.render import slack_forms
from bot.render.slack_limits import view_problems

TOPICS = (f.Option("housing", "Housing"), f.Option("transit", "Transit"), f.Option("water", "Water"))
FORM = f.Form(kind="practice_share", title="Share a practice", submit="Share", state='{"id": 3}', parts=(
    f.Field("title", "Title", "text", value="Snow <routes>", max_length=150),
    m.Paragraph(m.line("Between the fields: ", m.bold("a & b"))),
    f.Field("problem", "The problem", "long_text", hint="For whom.", max_length=5000),
    f.Field("topics", "Topics", "multi_select", value=("transit",), options=TOPICS, optional=True, placeholder="Pick"),
    f.Field("zone", "Time zone", "select", value="water", options=TOPICS),
    f.Field("day", "Date", "date", value="2026-03-02"),
    f.Field("at", "Time", "time", value="09:30"),
    f.Field("channel", "Channel", "channel", value="C0GENERAL"),
    f.Field("publish", "Publish on the web", "checkbox", value=("publish",), optional=True),
    f.Field("video", "Video link", "url", optional=True),
))


def test_a_form_renders_within_slacks_limits_and_reads_back_as_prefilled():
    view = slack_forms.view(FORM)
    assert view_problems(view) == []
    assert view["callback_id"] == "practice_share" and view["private_metadata"] == '{"id": 3}'
    assert view["submit"]["text"] == "Share"
    assert view["blocks"][1]["text"]["text"] == "Between the fields: *a &amp; b*"
    assert view["blocks"][2]["element"]["max_length"] == 3000  # the bot's 5000 is past Slack's own limit
    submitted = slack_forms.submitted({**view, "state": payloads.view_state(view)}, user_id="U1")
    assert submitted.kind == "practice_share" and submitted.state == '{"id": 3}'
    assert dict(submitted.values) == {
        "title": "Snow <routes>", "problem": "", "topics": ("transit",), "zone": "water", "day": "2026-03-02",
        "at": "09:30", "channel": "C0GENERAL", "publish": ("publish",), "video": ""}


def test_a_form_without_fields_only_shows_and_a_long_title_is_cut():
    view = slack_forms.view(f.Form(kind="", title="Details of a very long roundtable title", close="Close",
                                   parts=(m.Heading("Hello"),)))
    assert "submit" not in view and "callback_id" not in view and view_problems(view) == []


def test_errors_show_at_their_fields_and_values_read_text_or_choices():
    assert slack_forms.update(f.Form(kind="k", title="t", errors={"title": "Give it a title."})) == {
        "response_action": "errors", "errors": {"title": "Give it a title."}}
    values: f.Values = {"a": "x", "b": ("y", "z"), "c": ""}
    assert (f.text(values, "a"), f.text(values, "b"), f.text(values, "missing")) == ("x", "y", "")
    assert (f.chosen(values, "a"), f.chosen(values, "b"), f.chosen(values, "c")) == (("x",), ("y", "z"), ())


def test_a_submission_with_odd_state_reads_as_empty_not_an_error():
    assert slack_forms.values({"state": {"values": {"a": "nonsense", "b": {"b": None}}}}) == {}
    assert slack_forms.values({}) == {}


def test_chosen_options_stay_in_the_order_they_were_prefilled():
    form = f.Form(kind="k", title="t", parts=(
        f.Field("topics", "Topics", "multi_select", value=("water", "housing"), options=TOPICS),))
    view = slack_forms.view(form)
    assert [o["value"] for o in view["blocks"][0]["element"]["initial_options"]] == ["water", "housing"]
    assert slack_forms.values({**view, "state": payloads.view_state(view)})["topics"] == ("water", "housing")


def test_a_rendered_form_reads_back_as_the_same_fields_and_its_values_as_slack_sends_them():
    """What a client of the Slack view (the console, tests) fills is the form the bot composed."""
    view = slack_forms.view(FORM)
    again = slack_forms.form_of(view)
    assert (again.kind, again.title, again.submit, again.state) == ("practice_share", "Share a practice", "Share",
                                                                    '{"id": 3}')
    by_key = {field.key: field for field in again.fields()}
    for field in FORM.fields():
        read = by_key[field.key]
        assert (read.label, read.kind, read.optional, read.hint) == (field.label, field.kind, field.optional, field.hint)
        assert read.value == (field.value if field.kind != "checkbox" else ("publish",))
        assert read.choices() == field.choices()
    typed = {**FORM.prefilled(), "title": "Salt <less>", "topics": ("housing", "water"), "zone": "transit", "video": ""}
    assert dict(slack_forms.values({"state": {"values": slack_forms.state(FORM, typed)}})) == typed
