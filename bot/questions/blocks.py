"""What the bot says about questions, composed once (bot/messages.py): the suggestion reply, the
asker's prompt, the confirmation, the nudge."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.messages import (
    Actions,
    Button,
    Context,
    Inline,
    Link,
    Mention,
    Message,
    Paragraph,
    Part,
    Segment,
    Styled,
    Text,
    bold,
    code,
    joined,
    line,
    listed,
)
from bot.text import parse_id
from storage.questions import Answer, Question

ASK = code("/ask <your question>")  # how the bot offers /ask: alone, it only answers with its usage
MARK_ANSWERED = "question_mark_answered"
SAVE_AS_PRACTICE = "question_save_practice"
EYES = "eyes"  # the quiet "tracked" reaction when nothing relevant was found
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


def quote(text: str) -> Text:
    return Text(text, cut=QUOTE_LIMIT, fold=True)


def people(user_ids: Sequence[str]) -> Inline:
    return listed([Mention(u) for u in user_ids])


def mark_answered_button(question: Question, answer_ts: str = "") -> Button:
    value = f"{question.id}:{answer_ts}" if answer_ts else str(question.id)
    return Button("Mark answered", MARK_ANSWERED, value, "primary")


def _practice_line(practice: RelatedPractice) -> Inline:
    title = Text(practice.title, cut=150)
    shown: Segment = Link(practice.link, title) if practice.link else bold(practice.title, cut=150)
    city = (" (", Text(practice.city), ")") if practice.city else ()
    return line("• ", shown, *city, ", shared by ", Mention(practice.user_id))


def build_suggestion(question: Question, practices: Sequence[RelatedPractice], experts: Sequence[str]) -> Message:
    """The one threaded reply to a new question: related practices and who could help."""
    parts: list[Part] = []
    if practices:
        lines = [_practice_line(p) for p in practices[:3]]
        parts.append(Paragraph(line(bold("Cities that have worked on this:"), "\n", *joined(lines))))
    if experts:
        parts.append(Paragraph(line(bold("Who could help:"), " ", *people(experts[:3]))))
    parts.append(Context((line(Mention(question.user_id), ": when you have your answer, press ", bold("Mark answered"),
                               " or react with :white_check_mark: (a check mark) to the reply that answered it."),)))
    parts.append(Actions((mark_answered_button(question),)))
    said: list[Inline] = []
    if practices:
        said.append(line(f"{len(practices[:3])} related practice{'s' if len(practices[:3]) != 1 else ''}"))
    if experts:
        said.append(line("suggested experts: ", *people(experts[:3])))
    return Message(line("Related: ", *joined(said, "; ")), tuple(parts), unfurl=False)


def build_answer_prompt(question: Question, answer: Answer) -> Message:
    """Shown to the asker only, when someone new replies to their question."""
    text = line(Mention(answer.user_id), " replied to your question. Did that answer it?")
    return Message(text, (Paragraph(text, quote=line(quote(answer.text))),
                          Actions((mark_answered_button(question, answer.ts),))))


REPLIES_SHOWN = 10  # a section each, with its own button: well under the 50-block limit


def build_which_reply(question: Question, answers: Sequence[Answer]) -> Message:
    """Which reply answered the question? One Mark answered button per reply, newest last."""
    text = "Several people replied. Which reply answered your question?"
    parts: list[Part] = [Paragraph(line(bold(text)))]
    parts += [Paragraph(line(Mention(answer.user_id), ":"), mark_answered_button(question, answer.ts),
                        quote=line(quote(answer.text))) for answer in answers[-REPLIES_SHOWN:]]
    return Message(line(text), tuple(parts))


def build_resolution(question: Question, answer: Answer | None, by_user: str, answer_link: str = "",
                     *, save_as_practice: bool = False) -> Message:
    """The public confirmation in the thread; an accepted answer can become a practice."""
    if answer is None:
        text = line(":white_check_mark: ", Mention(by_user), " closed this question.")
        return Message(text, (Paragraph(text),), unfurl=False)
    # a mention cannot sit inside a link's label: Slack ends the label at the mention's `>`
    reply: Segment = Link(answer_link, Text("reply")) if answer_link else Text("reply")
    text = line(":white_check_mark: Answered: ", Mention(by_user), " accepted ", Mention(answer.user_id), "'s ",
                reply, ".")
    parts: list[Part] = [Paragraph(text, quote=line(quote(answer.text)))]
    if save_as_practice:
        parts += [
            Context((line("Worth keeping? Save it to the practice library so the next city finds it."),)),
            Actions((Button("Save as practice", SAVE_AS_PRACTICE, str(question.id)),)),
        ]
    return Message(text, tuple(parts), unfurl=False)


def build_asked(user_id: str, text: str) -> Message:
    """`/ask`: the question, posted in the channel for the member."""
    return Message(line(Styled("bold", (Mention(user_id), Text(" asks:"))), " ", Text(text)), unfurl=False)


def build_nudge(question: Question, experts: Sequence[str], days: int) -> Message:
    """One reminder in the thread of a question nobody has replied to."""
    age = f"{days} day{'s' if days != 1 else ''}"
    if experts:
        text = line(f"This question has waited {age} without a reply. ", *people(experts[:3]),
                    ": could you share what your city did?")
    else:
        text = line(f"This question has waited {age} without a reply. Has your city tackled this? "
                    "Reply in this thread.")
    return Message(text, (Paragraph(text), Actions((mark_answered_button(question),))), unfurl=False)


def parse_button_value(value: str) -> tuple[int, str] | None:
    """`"12"` -> `(12, "")`, `"12:1700000000.000100"` -> `(12, "1700000000.000100")`."""
    question_id, _, answer_ts = (value or "").partition(":")
    number = parse_id(question_id) if not question_id.startswith("#") else None
    return (number, answer_ts) if number is not None else None
