"""Properties of the text rules every message goes through, the roundup blocks, and the settings parser."""

from __future__ import annotations

import re

from hypothesis import event, example, given
from hypothesis import strategies as st

from bot.config import ConfigError, load_settings
from bot.console.render import unescape
from bot.digests import draft as digest_draft
from bot.questions import rules as questions
from bot.text import escape, fit, split_subcommand, truncate
from bot.topics import HASHTAG, MAX_TOPIC_LENGTH, MAX_TOPICS, extract_topics, normalize_topic
from tests.faults.strategies import modest, user_text

ENTITY = re.compile(r"&(amp|lt|gt);")
SLUG = re.compile(r"[^\W_]+(-[^\W_]+)*")


@modest
@given(user_text)
def test_escape_leaves_no_control_characters_and_loses_nothing(text: str) -> None:
    escaped = escape(text)
    assert "<" not in escaped and ">" not in escaped
    assert "&" not in ENTITY.sub("", escaped), "a bare & could start an entity the member did not type"
    assert unescape(escaped) == text
    assert escape(text.replace("&", "").replace("<", "").replace(">", "")) == (
        text.replace("&", "").replace("<", "").replace(">", "")), "only &, < and > are touched"


@modest
@given(user_text, st.integers(0, 4000))
def test_truncate_keeps_within_the_limit_and_keeps_the_start(text: str, limit: int) -> None:
    cut = truncate(text, limit)
    if len(text) <= limit:
        assert cut == text
    else:
        assert len(cut) <= max(limit, len("…")) and cut.endswith("…")
        assert text.startswith(cut[:-1])


@modest
@given(user_text)
def test_a_subcommand_is_one_lower_case_word_and_the_rest_is_kept(text: str) -> None:
    word, rest = split_subcommand(text)
    assert word == word.lower() and " " not in word
    assert rest == rest.strip()
    assert word.lower() in text.lower() or not word  # lower() may grow a few letters (İ)


SETTINGS = ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL", "DATABASE_URL", "MODERATOR_USER_IDS",
            "ROUNDUP_CRON", "BOT_TIMEZONE", "LOG_LEVEL", "PORT"]


@modest
@given(st.dictionaries(st.sampled_from(SETTINGS), st.text(max_size=40)))
def test_any_environment_gives_settings_or_one_config_error(environ: dict[str, str]) -> None:
    try:
        load_settings(environ)
    except ConfigError as error:
        assert str(error) and "\n" not in str(error)


@modest
@given(user_text, st.integers(2, 4000))
def test_fit_escapes_stays_within_its_limit_and_never_cuts_an_entity(text: str, limit: int) -> None:
    fitted = fit(text, limit)
    assert len(fitted) <= limit
    assert "<" not in fitted and ">" not in fitted
    assert "&" not in ENTITY.sub("", fitted), "an entity was cut in half"
    event("cut" if fitted != escape(text) else "whole")
    if fitted != escape(text):  # cut: the escaped text's start, then "…"
        assert fitted.endswith("…") and escape(text).startswith(fitted[:-1])


@modest
@given(user_text)
def test_topics_come_out_as_slugs_and_the_rest_keeps_its_words(text: str) -> None:
    rest, topics = extract_topics(text)
    assert len(topics) <= MAX_TOPICS and len(set(topics)) == len(topics)
    for topic in topics:
        assert SLUG.fullmatch(topic) and len(topic) <= MAX_TOPIC_LENGTH
        assert normalize_topic(topic) == topic, "a stored topic reads back as itself"
    assert rest == rest.strip()
    assert set(topics) <= {normalize_topic(tag) for tag in HASHTAG.findall(text)}, "a topic nobody typed"


CONTROL = ["<@U0MOD>", "<@U0MOD|guido>", "<#C0MAYORS|mayors>", "<#C0MAYORS>", "<!here>", "<!channel|channel>",
           "<!date^1764000000^{date_short}|Nov 24>", "<https://example.org|a link>", "<mailto:a@b.org>",
           "<!subteam^S1|@cios>"]
# Message text as Slack sends it: what people typed, escaped, between Slack's own control sequences.
slack_markup = st.lists(st.one_of(user_text.map(lambda t: escape(t.replace("<", ""))), st.sampled_from(CONTROL)),
                        max_size=12).map("".join)


@modest
@given(user_text)
def test_what_members_typed_reads_back_from_slacks_escaped_text(text: str) -> None:
    assert questions.plain_text(escape(text)) == text.strip()
    assert digest_draft.plain_text(escape(text)) == " ".join(text.split())


@modest
@given(slack_markup)
def test_slack_markup_reads_as_plain_text_without_control_sequences(text: str) -> None:
    for reader in (questions.plain_text, digest_draft.plain_text):
        plain = reader(text)
        assert "<" not in plain and plain == plain.strip()


@modest
@given(st.sampled_from(["", "<@U0MOD> ", "<@U0MOD|guido> ", ":wave: ", "— ", "<!here> "]),
       st.sampled_from(["", "How ", "has anyone ", "Can ", "WHICH "]),
       st.lists(st.sampled_from(["detroit", "wifi", "budget", "paid", "for", "it", "hotspots", "we", "tax", "&amp;"]),
                max_size=5),
       st.sampled_from(["", "?", "?!", "?)", ".", "!"]))
@example("", "", ["&amp;", "detroit", "detroit"], "?")  # once found by hypothesis: "& detroit detroit?" is two words
def test_a_message_is_a_question_when_it_ends_with_one_or_opens_like_one(noise: str, opener: str, words: list[str],
                                                                          end: str) -> None:
    said = " ".join([opener.strip(), *words]).strip()
    text = noise + said + end
    tokens = said.split()
    while tokens and tokens[0] == "&amp;":  # a leading "&" is punctuation before the words, not a word
        tokens.pop(0)
    counted = len(tokens)
    expected = counted >= 3 and (end.startswith("?") or bool(opener))
    event("a question" if expected else "not a question")
    assert questions.is_question(questions.plain_text(text)) == expected
