"""The daily insight post and the discussion prompt as Telegram HTML (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.corpus.model import Excerpt, Source
from bot.insights import Question
from bot.render.cards import source_title, speaker_name
from bot.render.html import CALLBACK_LIMIT, MESSAGE_LIMIT, cut, esc, one_line
from bot.render.reply import Button, Reply
from bot.texts import Lang
from bot.texts import daily as t
from bot.texts import discuss as td
from bot.texts import quotes as tq

QUOTE_LIMIT, NOTE_LIMIT = 1500, 600
POLL_QUESTION_LIMIT = 300  # Bot API limit on a poll's question
UNSUBSCRIBE_PREFIX = "dly:off:"
ZONE_PREFIX = "dly:tz:"


@dataclass(frozen=True, slots=True)
class Discussion:
    """A discussion prompt: the message, then a native poll."""

    reply: Reply
    poll_question: str
    poll_options: tuple[str, ...]


def unsubscribe_data(subscription_id: int) -> str:
    """Callback data of a post's unsubscribe button."""
    return f"{UNSUBSCRIBE_PREFIX}{subscription_id}"


def parse_unsubscribe(data: str | None) -> int | None:
    """The subscription id in an unsubscribe button's data, or None if malformed."""
    if not data or not data.startswith(UNSUBSCRIBE_PREFIX):
        return None
    tail = data.removeprefix(UNSUBSCRIBE_PREFIX)
    return int(tail) if tail.isdigit() and len(tail) <= 18 else None


def zone_data(zone: str) -> str | None:
    """Callback data of a zone button (None if the name would not fit)."""
    data = f"{ZONE_PREFIX}{zone}"
    return data if len(data.encode()) <= CALLBACK_LIMIT else None


def _quote_block(excerpt: Excerpt, source: Source | None, lang: Lang) -> list[str]:
    quote, _ = cut(excerpt.text, QUOTE_LIMIT)
    who, title = esc(speaker_name(excerpt, source, lang)), esc(source_title(source, lang))
    parts = [f"<blockquote>{esc(quote)}</blockquote>", f"— <b>{who}</b> · <i>{title}</i>"]
    # A reader of the other language gets the translation where there is one.
    if excerpt.translation and excerpt.lang != lang:
        translation, _ = cut(one_line(excerpt.translation), NOTE_LIMIT)
        if excerpt.machine_translation:
            parts.append(f"🌐 <i>{tq.machine_translation_label(lang)}:</i>")
        parts.append(f"<blockquote expandable>{esc(translation)}</blockquote>")
    return parts


def insight(
    excerpt: Excerpt,
    source: Source | None,
    question: Question | None,
    lang: Lang,
    subscription_id: int,
    topic: str | None = None,
) -> Reply:
    """A daily post: the excerpt, its commentary, a question to think about, and unsubscribe."""
    parts = [t.header(lang, topic), *_quote_block(excerpt, source, lang)]
    if excerpt.commentary:
        note, _ = cut(one_line(excerpt.commentary), NOTE_LIMIT)
        parts.append(t.commentary(lang) + esc(note))
    if question is not None:
        parts.append(t.think(lang) + esc(question.text(lang)))
    text = "\n\n".join(parts)
    assert len(text) < MESSAGE_LIMIT  # budgets above keep every part well inside the limit
    button = Button(t.unsubscribe_button(lang), data=unsubscribe_data(subscription_id))
    return Reply(text, ((button,),))


def preview_line(n: int, excerpt: Excerpt, source: Source | None, lang: Lang) -> str:
    """One line of /preview: position, speaker, source and the excerpt's start."""
    snippet, _ = cut(one_line(excerpt.text), 90)
    who, title = esc(speaker_name(excerpt, source, lang)), esc(source_title(source, lang))
    return f"{n}. <b>{who}</b> · <i>{title}</i> [{excerpt.lang}]\n   {esc(snippet)}"


def discussion(
    excerpt: Excerpt, source: Source | None, question: Question, lang: Lang
) -> Discussion:
    """The quote and open question, and a poll asking agree / disagree / it depends."""
    parts = [td.header(lang), *_quote_block(excerpt, source, lang)]
    asked = question.text(lang)
    parts.append(td.question_label(lang) + f"<b>{esc(asked)}</b>")
    poll_question = asked if len(asked) <= POLL_QUESTION_LIMIT else td.poll_prompt(lang)
    return Discussion(Reply("\n\n".join(parts)), poll_question, td.poll_options(lang))


def zone_keyboard(zones: tuple[str, ...], per_row: int = 3) -> tuple[tuple[Button, ...], ...]:
    """Buttons for the common time zones."""
    buttons = [Button(z, data=d) for z in zones if (d := zone_data(z))]
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))
