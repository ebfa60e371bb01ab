"""What the exchange already knows about a question: related practices and CIOs who could help.

The practice search ranks; this module decides what is relevant enough to say out loud. A
practice counts when it shares a topic with the question or at least two of its significant
words (one, for a question that has only one or two), so a lone common word never makes the bot
speak. Experts are CIOs who shared those practices, then CIOs whose profile expertise names a
topic of the question or of those practices; never the asker.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.questions.blocks import RelatedPractice, permalink
from bot.topics import normalize_topic
from storage.practices import Practice, practices_on_topics
from storage.profiles import Profile
from storage.questions import Question
from storage.search import STOPWORDS, WORD, search_practices

MAX_PRACTICES = 3
MAX_EXPERTS = 3
SEARCH_DEPTH = 10  # ranked candidates looked at before the relevance gate
# Words every question to this exchange shares; they say nothing about what it is about.
GENERIC_WORDS = frozenset({
    "anyone", "anybody", "city", "cities", "town", "our", "ours", "other", "others", "know", "way",
    "ways", "best", "good", "start", "started", "get", "use", "used", "using", "need", "needs",
    "want", "tried", "try", "done", "doing", "make", "experience", "recommend", "advice", "idea",
    "ideas", "thoughts", "please", "thanks", "here", "there", "out", "should", "one", "just",
    "has", "had", "have", "been", "does", "did", "anything", "something", "mayor", "mayors",
})
SUFFIXES = ("ing", "ies", "es", "ed", "s")


@dataclass
class Suggestion:
    practices: list[RelatedPractice] = field(default_factory=list)
    experts: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.practices or self.experts)


def stem(word: str) -> str:
    """A crude stem, enough to tell that `hotspots` and `hotspot` are one word."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def significant_words(text: str) -> list[str]:
    words: list[str] = []
    for word in WORD.findall(text.casefold()):
        if word not in STOPWORDS and word not in GENERIC_WORDS and len(word) > 1 and word not in words:
            words.append(word)
    return words


def question_topics(words: list[str]) -> set[str]:
    """Topic slugs the question names: single words and adjacent pairs (`open data`)."""
    candidates = words + [f"{a}-{b}" for a, b in zip(words, words[1:], strict=False)]
    return {t for t in (normalize_topic(c) for c in candidates) if t}


def _relevant(practice: Practice, stems: set[str], topics: set[str]) -> bool:
    if topics & {t.topic for t in practice.topics}:
        return True
    text = " ".join((practice.title, practice.city, practice.problem, practice.solution, practice.outcome))
    shared = stems & {stem(w) for w in WORD.findall(text.casefold())}
    return len(shared) >= min(2, len(stems))


def related_practices(session: Session, question: Question) -> list[Practice]:
    words = significant_words(question.text)
    if not words:
        return []
    stems, topics = {stem(w) for w in words}, question_topics(words)
    ranked = search_practices(session, question.team_id, " ".join(words), limit=SEARCH_DEPTH)
    found = [p for p in ranked if _relevant(p, stems, topics)]
    if len(found) < MAX_PRACTICES:  # the words may miss a practice its topic names
        found += practices_on_topics(session, question.team_id, sorted(topics), limit=MAX_PRACTICES)
    return list({p.id: p for p in found}.values())[:MAX_PRACTICES]


def experts_for(session: Session, question: Question, practices: Iterable[Practice]) -> list[str]:
    practices = list(practices)
    topics = question_topics(significant_words(question.text))
    topics |= {t.topic for p in practices for t in p.topics}
    cios = {p.user_id: p for p in session.scalars(select(Profile).where(
        Profile.team_id == question.team_id, Profile.role == "cio"))}
    experts = [p.user_id for p in practices if p.user_id in cios]
    scored = sorted(
        ((len(topics & {normalize_topic(e) for e in profile.expertise}), user_id)
         for user_id, profile in cios.items()),
        key=lambda pair: (-pair[0], pair[1]),
    )
    experts += [user_id for score, user_id in scored if score > 0]
    unique = [u for u in dict.fromkeys(experts) if u != question.user_id]
    return unique[:MAX_EXPERTS]


def find_suggestion(session: Session, question: Question, workspace_url: str = "") -> Suggestion:
    practices = related_practices(session, question)
    cards = [RelatedPractice(p.title, p.city, p.user_id,
                             permalink(workspace_url, p.channel_id, p.message_ts) if p.message_ts else "")
             for p in practices]
    return Suggestion(cards, experts_for(session, question, practices))
