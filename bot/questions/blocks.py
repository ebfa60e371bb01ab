"""Block Kit for questions: the suggestion reply, the asker's prompt, the confirmation, the nudge."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.text import escape, fit, parse_id, truncate
from storage.questions import Answer, Question

MARK_ANSWERED = "question_mark_answered"
SAVE_AS_PRACTICE = "question_save_practice"
EYES = "eyes"  # the quiet "tracked" reaction when nothing relevant was found
SECTION_LIMIT = 3000
QUOTE_LIMIT = 300  # characters of a question or answer quoted back


@dataclass(frozen=True)
class RelatedPractice:
    title: str
    city: str
    user_id: str  # who shared it
    link: str = ""  # its card in Slack, when it has one


def permalink(workspace_url: str, channel: str, ts: str, thread_ts: str = "") -> str:
    """A message link in the shape chat.getPermalink returns, without the API call."""
    if not workspace_url:
        return ""
    link = f"{workspace_url.rstrip('/')}/archives/{channel}/p{ts.replace('.', '')}"
    return f"{link}?thread_ts={thread_ts}&cid={channel}" if thread_ts else link


def mention(user_id: str) -> str:
    return f"<@{user_id}>" if user_id.isalnum() else escape(user_id)


def mentions(user_ids: Sequence[str]) -> str:
    names = [mention(u) for u in user_ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def quote(text: str) -> str:
    return fit(" ".join(text.split()), QUOTE_LIMIT)


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, SECTION_LIMIT)}}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(text, SECTION_LIMIT)}]}


def _button(text: str, action_id: str, value: str, style: str = "") -> dict:
    button = {"type": "button", "text": {"type": "plain_text", "text": text}, "action_id": action_id,
              "value": value}
    if style:
        button["style"] = style
    return button


def mark_answered_button(question: Question, answer_ts: str = "") -> dict:
    value = f"{question.id}:{answer_ts}" if answer_ts else str(question.id)
    return _button("Mark answered", MARK_ANSWERED, value, "primary")


def _practice_line(practice: RelatedPractice) -> str:
    title = fit(practice.title, 150)
    title = f"<{practice.link}|{title}>" if practice.link else f"*{title}*"
    city = f" ({escape(practice.city)})" if practice.city else ""
    return f"• {title}{city}, shared by {mention(practice.user_id)}"


def build_suggestion(question: Question, practices: Sequence[RelatedPractice],
                     experts: Sequence[str]) -> tuple[str, list[dict]]:
    """The one threaded reply to a new question: related practices and who could help."""
    blocks: list[dict] = []
    if practices:
        lines = "\n".join(_practice_line(p) for p in practices[:3])
        blocks.append(_section(f"*Cities that have worked on this:*\n{lines}"))
    if experts:
        blocks.append(_section(f"*Who could help:* {mentions(experts[:3])}"))
    blocks.append(_context(
        f"{mention(question.user_id)}: when you have your answer, press *Mark answered* or react with "
        ":white_check_mark: to the reply that answered it."))
    blocks.append({"type": "actions", "elements": [mark_answered_button(question)]})
    parts = []
    if practices:
        parts.append(f"{len(practices[:3])} related practice{'s' if len(practices[:3]) != 1 else ''}")
    if experts:
        parts.append("suggested experts: " + mentions(experts[:3]))
    return "Related: " + "; ".join(parts), blocks


def build_answer_prompt(question: Question, answer: Answer) -> tuple[str, list[dict]]:
    """Shown to the asker only, when someone new replies to their question."""
    text = f"{mention(answer.user_id)} replied to your question. Did that answer it?"
    blocks = [
        _section(f"{text}\n>{quote(answer.text)}"),
        {"type": "actions", "elements": [mark_answered_button(question, answer.ts)]},
    ]
    return text, blocks


REPLIES_SHOWN = 10  # a section each, with its own button: well under the 50-block limit


def build_which_reply(question: Question, answers: Sequence[Answer]) -> tuple[str, list[dict]]:
    """Which reply answered the question? One Mark answered button per reply, newest last."""
    text = "Several people replied. Which reply answered your question?"
    blocks = [_section(f"*{text}*")]
    for answer in answers[-REPLIES_SHOWN:]:
        block = _section(f"{mention(answer.user_id)}:\n>{quote(answer.text)}")
        block["accessory"] = mark_answered_button(question, answer.ts)
        blocks.append(block)
    return text, blocks


def build_resolution(question: Question, answer: Answer | None, by_user: str, answer_link: str = "",
                     *, save_as_practice: bool = False) -> tuple[str, list[dict]]:
    """The public confirmation in the thread; an accepted answer can become a practice."""
    if answer is None:
        text = f":white_check_mark: {mention(by_user)} closed this question."
        return text, [_section(text)]
    # a mention cannot sit inside a link's label: Slack ends the label at the mention's `>`
    reply = f"{mention(answer.user_id)}'s " + (f"<{answer_link}|reply>" if answer_link else "reply")
    text = f":white_check_mark: Answered: {mention(by_user)} accepted {reply}."
    blocks = [_section(f"{text}\n>{quote(answer.text)}")]
    if save_as_practice:
        blocks += [
            _context("Worth keeping? Save it to the practice library so the next city finds it."),
            {"type": "actions", "elements": [_button("Save as practice", SAVE_AS_PRACTICE, str(question.id))]},
        ]
    return text, blocks


def build_nudge(question: Question, experts: Sequence[str], days: int) -> tuple[str, list[dict]]:
    """One reminder in the thread of a question nobody has replied to."""
    age = f"{days} day{'s' if days != 1 else ''}"
    if experts:
        text = (f"This question has waited {age} without a reply. {mentions(experts[:3])}: "
                "could you share what your city did?")
    else:
        text = (f"This question has waited {age} without a reply. Has your city tackled this? "
                "Reply in this thread.")
    blocks = [_section(text), {"type": "actions", "elements": [mark_answered_button(question)]}]
    return text, blocks


def parse_button_value(value: str) -> tuple[int, str] | None:
    """`"12"` -> `(12, "")`, `"12:1700000000.000100"` -> `(12, "1700000000.000100")`."""
    question_id, _, answer_ts = (value or "").partition(":")
    number = parse_id(question_id) if not question_id.startswith("#") else None
    return (number, answer_ts) if number is not None else None
