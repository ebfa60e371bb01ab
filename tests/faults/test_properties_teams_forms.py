"""Properties of the Teams dialog renderer: any form, whatever members typed into its labels, values,
hints, errors, choices and the parts between its fields, becomes a card within Teams' size limit in
which a member's text is never markup, a mention, a link or a template function; and a submission of
the card as prefilled reads back as the form's own values."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot import forms as f
from bot.render import teams_forms
from bot.render.teams_limits import MESSAGE_BYTES, size
from tests.faults.strategies import modest, user_text
from tests.faults.test_properties_render import parts
from tests.faults.test_properties_teams import FUNCTION, LINK, texts

keys = st.from_regex(r"[a-z][a-z_]{0,15}", fullmatch=True).filter(lambda k: k not in teams_forms.RESERVED)
values = st.from_regex(r"[a-z0-9_]{1,12}", fullmatch=True)  # option values are the bot's ids: no commas


@st.composite
def fields(draw: st.DrawFn, key: str) -> f.Field:
    kind = draw(st.sampled_from(["text", "long_text", "select", "multi_select", "date", "time", "checkbox",
                                 "url", "channel"]))
    options = tuple(f.Option(v, draw(user_text)) for v in draw(st.lists(values, max_size=12, unique=True)))
    if kind in ("select", "multi_select") and not options:
        options = (f.Option("only", draw(user_text)),)
    picked = tuple(o.value for o in options if draw(st.booleans()))
    if kind == "select":
        value: str | tuple[str, ...] = picked[:1][0] if picked else ""
    elif kind in f.MULTIPLE:
        value = picked if options else draw(st.sampled_from([(key,), ()]))
    elif kind == "date":
        value = "2026-03-02"
    elif kind == "time":
        value = "09:30"
    elif kind == "channel":
        value, options = "", ()
    else:
        value = draw(user_text).replace("\n", " ")
    return f.Field(key, draw(user_text), kind, value, hint=draw(user_text), placeholder=draw(user_text),
                   optional=draw(st.booleans()), options=options, max_length=draw(st.sampled_from([0, 150, 5000])))


@st.composite
def forms(draw: st.DrawFn) -> f.Form:
    names = draw(st.lists(keys, max_size=8, unique=True))
    items: list = [draw(fields(k)) for k in names]
    for _ in range(draw(st.integers(0, 4))):
        items.insert(draw(st.integers(0, len(items))), draw(parts))
    errors = {k: draw(user_text) for k in names if draw(st.booleans())}
    return f.Form(kind="practice_share", title=draw(user_text), submit=draw(user_text), parts=tuple(items),
                  state=draw(user_text), errors=errors)


@modest
@given(forms())
def test_any_form_fits_teams_and_member_text_stays_text(form: f.Form) -> None:
    card = teams_forms.form_card(form)
    assert size(card) <= MESSAGE_BYTES
    entities = [e["text"] for e in card["msteams"]["entities"]]
    for text in texts(card["body"]):
        rest = text
        for entity in entities:
            rest = rest.replace(entity, "")
        assert "<" not in rest and ">" not in rest
        assert "{{" not in FUNCTION.sub("", rest)
        assert set(LINK.findall(rest)) <= {"https://roundtable.slack.com/archives/C1/p1"}
    shown = {el["id"] for el in card["body"] if el["type"].startswith("Input.")}
    assert shown == {x.key for x in form.fields()}  # every field is there, whatever was cut


@modest
@given(forms())
def test_a_dialog_submitted_as_prefilled_reads_back_as_the_forms_values(form: f.Form) -> None:
    card = teams_forms.form_card(form)
    if not form.fields():
        assert card["actions"] == []
        return
    data = {el["id"]: el["value"] for el in card["body"] if el["type"].startswith("Input.") and el.get("value")}
    got = teams_forms.submitted(data | card["actions"][0]["data"])
    assert got.kind == form.kind and got.state == form.state[:3000]
    for x in form.fields():
        if x.kind in f.MULTIPLE:
            assert got.values[x.key] == tuple(v for v in f.chosen({"v": x.value}, "v") if v in
                                              [c.value for c in x.choices()[:100]])
        elif x.kind in ("text", "long_text", "url"):
            assert str(x.value).startswith(str(got.values.get(x.key, "")))
        else:
            assert got.values.get(x.key, "") == x.value
