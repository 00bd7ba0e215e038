"""Excerpts as Telegram-HTML cards, context views, result lists and inline articles (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.corpus.model import Excerpt, Source
from bot.render import actions
from bot.render.actions import Act, Action
from bot.render.html import MESSAGE_LIMIT, attr, cut, esc, highlight, one_line, utf16_len, visible
from bot.render.reply import Article, Button, Keyboard, Reply
from bot.texts import Lang
from bot.texts import quotes as t

# Character budgets: a short card stays readable; an expanded one may use the whole message.
QUOTE_SHORT, QUOTE_FULL = 1200, 2400
NOTE_SHORT, NOTE_FULL = 280, 2400  # commentary and translation
SNIPPET = 160
_SAFE_LIMIT = MESSAGE_LIMIT - 96  # room for the header and id line


@dataclass(frozen=True, slots=True)
class Where:
    """How a card was reached: a search (query, rank of total) or a direct pick."""

    query: str | None = None
    rank: int = 0  # 0-based
    total: int = 0
    terms: tuple[str, ...] = ()
    topic: str | None = None  # set for /random cards: "another" keeps the topic

    @property
    def key(self) -> str:
        """The query key carried by this card's buttons ("-" when not from a search)."""
        return actions.query_key(self.query) if self.query else "-"


def source_title(source: Source | None, lang: Lang) -> str:
    """The source's title in the reader's language where the manifest has one."""
    if source is None:
        return "?"
    title_en = source.options.get("title_en")
    if lang == "en" and isinstance(title_en, str) and title_en:
        return title_en
    return source.title


def speaker_name(excerpt: Excerpt, source: Source | None, lang: Lang) -> str:
    """The speaker's display name, in Chinese where the manifest gives one."""
    speaker = source.speaker(excerpt.speaker_id) if source and excerpt.speaker_id else None
    if speaker is None:
        return excerpt.speaker or t.unattributed(lang)
    return (speaker.name_zh if lang == "zh" and speaker.name_zh else None) or speaker.name


def permalink(excerpt_id: str, bot_username: str | None) -> str:
    """The card's short id, linked to the bot's deep link when the username is known."""
    label = f"#{esc(excerpt_id)}"
    if not bot_username:
        return f"<code>{label}</code>"
    return f'<a href="{attr(f"https://t.me/{bot_username}?start=q_{excerpt_id}")}">{label}</a>'


def header(query: str, tail: str) -> str:
    """The first line of a search card or list; query_from_header reads it back."""
    return f"{actions.HEADER_MARK}<i>{esc(query)}</i>{actions.HEADER_SEP}{tail}"


def _button(label: str, action: Action) -> Button | None:
    data = actions.encode(action)
    return Button(label, data=data) if data else None


def _row(*buttons: Button | None) -> tuple[Button, ...]:
    return tuple(b for b in buttons if b is not None)


def _keyboard(*rows: tuple[Button, ...]) -> Keyboard:
    return tuple(row for row in rows if row)


def _byline(excerpt: Excerpt, source: Source | None, lang: Lang) -> str:
    who, title = esc(speaker_name(excerpt, source, lang)), esc(source_title(source, lang))
    line = f"— <b>{who}</b> · <i>{title}</i>"
    extra = [esc(x) for x in (excerpt.section, excerpt.timestamp) if x]
    if excerpt.timestamp:
        extra[-1] = "⏱ " + extra[-1]
    return line + ("\n" + " · ".join(extra) if extra else "")


def _card_text(
    excerpt: Excerpt,
    source: Source | None,
    lang: Lang,
    where: Where,
    expanded: bool,
    bot_username: str | None,
    scale: float,
) -> tuple[str, bool]:
    quote_limit = int((QUOTE_FULL if expanded else QUOTE_SHORT) * scale)
    note_limit = int((NOTE_FULL if expanded else NOTE_SHORT) * scale)
    parts: list[str] = []
    if where.query:
        parts.append(header(one_line(where.query), t.position(lang, where.rank + 1, where.total)))
    quote, shortened = cut(excerpt.text, quote_limit)
    parts.append(f"<blockquote>{highlight(quote, where.terms)}</blockquote>")
    parts.append(_byline(excerpt, source, lang))
    if expanded and excerpt.question:
        question, _ = cut(one_line(excerpt.question), note_limit // 2)
        parts.append(f"❓ <i>{t.question_label(lang)}:</i> {esc(question)}")
    for icon, label, note in (
        ("🌐", *_translation(excerpt, lang)),
        ("💬", t.commentary_label(lang), excerpt.commentary),
    ):
        # Some sources use their section heading as the commentary: shown once is enough.
        if note and note.strip() != (excerpt.section or "").strip():
            body, was_cut = cut(note.strip(), note_limit)
            shortened = shortened or was_cut
            parts.append(f"{icon} <i>{label}:</i> {highlight(body, where.terms)}")
    if shortened and not expanded:
        parts.append(f"<i>{t.more_hint(lang)}</i>")
    parts.append(permalink(excerpt.id, bot_username))
    return "\n\n".join(parts), shortened


def _translation(excerpt: Excerpt, lang: Lang) -> tuple[str, str | None]:
    """Label and text of the translation a reader of `lang` is shown, if any."""
    if not excerpt.machine_translation:
        return t.translation_label(lang), excerpt.translation
    # Ours, not the source's: only for a reader who cannot read the original.
    return t.machine_translation_label(lang), excerpt.translation if excerpt.lang != lang else None


def card(
    excerpt: Excerpt,
    source: Source | None,
    lang: Lang,
    where: Where | None = None,
    *,
    expanded: bool = False,
    bot_username: str | None = None,
) -> Reply:
    """The result card: quote (highlighted), speaker, source, notes, id, and its buttons."""
    where = where or Where()
    scale = 1.0
    text, shortened = _card_text(excerpt, source, lang, where, expanded, bot_username, scale)
    while utf16_len(visible(text)) > _SAFE_LIMIT and scale > 0.1:  # astral-heavy text only
        scale /= 2
        text, shortened = _card_text(excerpt, source, lang, where, expanded, bot_username, scale)
    key, rank, eid = where.key, where.rank, excerpt.id
    paging = _row(
        _button(t.btn_prev(lang), Action(Act.GO, "-", key, rank - 1))
        if where.query and rank > 0
        else None,
        _button(t.btn_next(lang), Action(Act.GO, "-", key, rank + 1))
        if where.query and rank + 1 < where.total
        else None,
    )
    if expanded:
        toggle = _button(t.btn_less(lang), Action(Act.CARD, eid, key, rank))
    elif shortened:
        toggle = _button(t.btn_more(lang), Action(Act.MORE, eid, key, rank))
    else:
        toggle = None
    tools = _row(
        _button(t.btn_context(lang), Action(Act.CONTEXT, eid, key, rank)),
        toggle,
        Button(t.btn_share(lang), inline_query=f"id:{eid}"),
    )
    another = (
        _row(_button(t.btn_another(lang), Action(Act.RANDOM, where.topic or "-")))
        if where.topic is not None
        else ()
    )
    return Reply(text, _keyboard(paging, tools, another))


def context_view(
    excerpt: Excerpt,
    before: Excerpt | None,
    after: Excerpt | None,
    source: Source | None,
    lang: Lang,
    where: Where,
    bot_username: str | None = None,
) -> Reply:
    """The excerpt with the ones before and after it in the same transcript."""
    limit = 900

    def block(label: str, item: Excerpt | None) -> str:
        if item is None:
            return f"<i>{label}: {t.context_edge(lang)}</i>"
        body, _ = cut(item.text, limit)
        who = esc(speaker_name(item, source, lang))
        return f"<i>{label} — {who}:</i>\n<blockquote>{esc(body)}</blockquote>"

    middle, _ = cut(excerpt.text, limit)
    parts = [
        f"📜 <b>{t.context_title(lang)}</b> · <i>{esc(source_title(source, lang))}</i>",
        block(t.context_before(lang), before),
        f"<b>{esc(speaker_name(excerpt, source, lang))}:</b>\n"
        f"<blockquote>{highlight(middle, where.terms)}</blockquote>",
        block(t.context_after(lang), after),
        permalink(excerpt.id, bot_username),
    ]
    key, rank = where.key, where.rank
    walk = _row(
        _button("◀ " + t.context_before(lang), Action(Act.CONTEXT, before.id, key, rank))
        if before
        else None,
        _button(t.context_after(lang) + " ▶", Action(Act.CONTEXT, after.id, key, rank))
        if after
        else None,
    )
    back = _row(_button(t.btn_less(lang), Action(Act.CARD, excerpt.id, key, rank)))
    return Reply("\n\n".join(parts), _keyboard(walk, back))


@dataclass(frozen=True, slots=True)
class ListItem:
    """One row of a result list."""

    excerpt: Excerpt
    source: Source | None
    terms: tuple[str, ...]


def result_list(
    query: str, items: Sequence[ListItem], page: int, page_size: int, total: int, lang: Lang
) -> Reply:
    """One page of search results, each with an open button, and page buttons."""
    key = actions.query_key(query)
    pages = max(1, -(-total // page_size))
    lines = [header(one_line(query), t.page_of(lang, page + 1, pages, total))]
    opens: list[Button | None] = []
    for i, item in enumerate(items):
        n = page * page_size + i
        snippet, _ = cut(one_line(item.excerpt.text), SNIPPET)
        who = esc(speaker_name(item.excerpt, item.source, lang))
        lines.append(
            f"<b>{i + 1}.</b> {highlight(snippet, item.terms)}\n"
            f"    — <i>{who}, {esc(source_title(item.source, lang))}</i>"
        )
        opens.append(_button(t.btn_open(i + 1), Action(Act.OPEN, "-", key, n)))
    nav = _row(
        _button(t.btn_prev(lang), Action(Act.PAGE, "-", key, page - 1)) if page > 0 else None,
        _button(t.btn_next(lang), Action(Act.PAGE, "-", key, page + 1))
        if page + 1 < pages
        else None,
    )
    return Reply("\n\n".join(lines), _keyboard(_row(*opens), nav))


def article(
    excerpt: Excerpt,
    source: Source | None,
    lang: Lang,
    terms: tuple[str, ...],
    bot_username: str | None,
) -> Article:
    """An inline-mode result: title from the quote, speaker and source in the description."""
    title, _ = cut(one_line(excerpt.text), 64)
    description = f"{speaker_name(excerpt, source, lang)} · {source_title(source, lang)}"
    reply = card(excerpt, source, lang, Where(terms=terms), bot_username=bot_username)
    return Article(excerpt.id, title, cut(description, 120)[0], reply)
