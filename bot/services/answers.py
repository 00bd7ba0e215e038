"""What the bot answers, independent of transport: Telegram handlers and the console both call it.

Each method takes the asker's language (and the bot's username for links) and returns a Reply;
nothing here knows about Telegram objects, so `insightbot chat` shows exactly the same cards.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from dataclasses import dataclass

from bot.corpus.model import Excerpt
from bot.render import actions, cards
from bot.render.actions import Act, Action, decode, query_from_header
from bot.render.html import attr, cut, esc, one_line
from bot.render.reply import InlinePage, Reply
from bot.services.catalog import Catalog, Result, Snapshot
from bot.services.memo import QueryMemo
from bot.services.stats import Stats
from bot.texts import Lang
from bot.texts import common as tc
from bot.texts import help as th
from bot.texts import quotes as tq
from bot.texts.browse import (
    excerpts_count,
    host,
    no_topics,
    sources_title,
    speakers_title,
    topics_title,
)

DEEP_LINK_PREFIX = "q_"
HELP_LINK = "help"  # /start help: the deep link of the inline tip button
INLINE_PAGE, INLINE_MAX = 10, 50


@dataclass(frozen=True, slots=True)
class Ask:
    """Who is asking: the language to answer in and the bot's username (for links)."""

    lang: Lang
    bot_username: str | None = None


@dataclass(frozen=True, slots=True)
class Press:
    """The outcome of a button press: a reply (edit or new message) or only a toast."""

    reply: Reply | None
    notice: str | None = None
    new_message: bool = False


def clean_query(raw: str | None, limit: int) -> tuple[str, bool]:
    """Whitespace collapsed and cut to `limit` characters at a word; True if it was cut."""
    query = one_line(raw or "")
    if len(query) <= limit:
        return query, False
    head = query[:limit]
    space = head.rfind(" ")
    return (head[:space] if space > limit // 2 else head).strip(), True


class Answers:
    """The bot's behaviour for every command, button and inline query."""

    def __init__(
        self,
        catalog: Catalog,
        memo: QueryMemo,
        stats: Stats,
        page_size: int = 5,
        max_query: int = 256,
    ) -> None:
        self.catalog, self.memo, self.stats = catalog, memo, stats
        self.page_size, self.max_query = page_size, max_query

    # -- commands ---------------------------------------------------------------------------

    def start(self, ask: Ask, payload: str | None, name: str | None) -> Reply:
        """/start, or a deep link /start q_<id> that opens one excerpt."""
        if payload and payload.startswith(DEEP_LINK_PREFIX):
            return self.excerpt(ask, payload.removeprefix(DEEP_LINK_PREFIX))
        if payload == HELP_LINK:
            return self.help(ask, group=False)
        return Reply(th.welcome(ask.lang, name))

    def help(self, ask: Ask, group: bool) -> Reply:
        """/help."""
        return Reply(th.help_text(ask.lang, group, ask.bot_username or "bot"))

    def excerpt(self, ask: Ask, excerpt_id: str) -> Reply:
        """One excerpt by id (deep links and shares)."""
        snap = self.catalog.current
        found = snap.index.get(excerpt_id[:64])
        if found is None:
            return Reply(tq.not_found(ask.lang, excerpt_id[:64]))
        return self._card(snap, found, ask)

    def quote(self, ask: Ask, raw: str | None) -> Reply:
        """/quote words (and plain text in a private chat): the best match as a card."""
        query, trimmed = clean_query(raw, self.max_query)
        if not query:
            return Reply(tq.usage_quote(ask.lang))
        return self._noted(ask, self._hit(ask, query, 0, record=True), trimmed)

    def search(self, ask: Ask, raw: str | None, page: int = 0) -> Reply:
        """/search words: one page of the result list."""
        query, trimmed = clean_query(raw, self.max_query)
        if not query:
            return Reply(tq.usage_search(ask.lang))
        return self._noted(ask, self._page(ask, query, page, record=True), trimmed)

    def random(self, ask: Ask, topic: str | None, rng: random.Random | None = None) -> Reply:
        """/random [topic]."""
        snap = self.catalog.current
        slug = one_line(topic or "").casefold().replace(" ", "-")[:40] or None
        pick = snap.index.random(slug, rng)
        if pick is None:
            return Reply(tq.unknown_topic(ask.lang, slug or ""))
        # "Another" keeps the topic when it fits in the button (else any topic).
        kept = slug if slug and actions.TOPIC.match(slug) else ""
        return self._card(snap, pick, ask, cards.Where(topic=kept))

    def topics(self, ask: Ask) -> Reply:
        """/topics: topic slugs with their excerpt counts."""
        counts = self.catalog.current.index.topics()
        if not counts:
            return Reply(no_topics(ask.lang))
        rows = [
            f"• <code>{t}</code> — {n}" for t, n in sorted(counts.items(), key=lambda kv: -kv[1])
        ]
        return Reply(topics_title(ask.lang) + "\n" + "\n".join(rows))

    def sources(self, ask: Ask) -> Reply:
        """/sources: each interview with its show, date and size."""
        snap = self.catalog.current
        counts = Counter(e.source_id for e in snap.corpus.excerpts)
        rows = []
        for source in snap.corpus.sources:
            meta = " · ".join(x for x in (source.show, source.date) if x)
            title = esc(cards.source_title(source, ask.lang))
            size = excerpts_count(ask.lang, counts.get(source.id, 0))
            line = f"• <b>{title}</b>\n  {esc(meta)} · {size}"
            if source.url:
                line += f'\n  <a href="{attr(source.url)}">{esc(source.url)}</a>'
            rows.append(line)
        return Reply(sources_title(ask.lang) + "\n\n" + "\n\n".join(rows))

    def speakers(self, ask: Ask) -> Reply:
        """/speakers: everyone who speaks, with how many excerpts and in how many interviews."""
        snap = self.catalog.current
        counts = Counter(e.speaker_id or "" for e in snap.corpus.excerpts)
        seen: dict[str, tuple[str, bool, int]] = {}
        for source in snap.corpus.sources:
            for sp in source.speakers:
                name = (sp.name_zh if ask.lang == "zh" and sp.name_zh else None) or sp.name
                _, _, n_sources = seen.get(sp.id, (name, False, 0))
                seen[sp.id] = (name, sp.role.value == "host", n_sources + 1)
        # Only people with something to quote: a host whose turns are all questions has none.
        quoted = [kv for kv in seen.items() if counts.get(kv[0], 0)]
        order = sorted(quoted, key=lambda kv: (kv[1][1], -counts.get(kv[0], 0)))
        rows = []
        for speaker_id, (name, is_host, _) in order:
            tag = f" ({host(ask.lang)})" if is_host else ""
            rows.append(
                f"• <b>{esc(name)}</b>{tag} — {excerpts_count(ask.lang, counts.get(speaker_id, 0))}"
            )
        return Reply(speakers_title(ask.lang) + "\n" + "\n".join(rows))

    # -- buttons ----------------------------------------------------------------------------

    def press(self, ask: Ask, data: str | None, message_text: str | None) -> Press:
        """A button press; forged, stale or unknown data gets a polite toast, never an error."""
        action = decode(data)
        stale = Press(None, tc.stale_button(ask.lang))
        if action is None:
            return stale
        query = None
        if action.key != "-":
            query = self.memo.recall(action.key) or query_from_header(message_text, action.key)
            if query is None:
                return stale
            self.memo.remember(query)
        snap = self.catalog.current
        if action.act in (Act.GO, Act.OPEN):
            assert query is not None  # decode() refuses GO/OPEN without a key
            reply = self._hit(ask, query, action.n, record=False)
            return Press(reply, new_message=action.act is Act.OPEN)
        if action.act is Act.PAGE:
            assert query is not None
            return Press(self._page(ask, query, action.n, record=False))
        if action.act is Act.RANDOM:
            topic = None if action.excerpt_id == "-" else action.excerpt_id
            return Press(self.random(ask, topic), new_message=True)
        excerpt = snap.index.get(action.excerpt_id)
        if excerpt is None:
            return stale
        where = self._where(snap, query, action, excerpt.id)
        source = snap.source(excerpt.source_id)
        if action.act is Act.CONTEXT:
            before, after = snap.index.neighbours(excerpt.id)
            view = cards.context_view(
                excerpt, before, after, source, ask.lang, where, ask.bot_username
            )
            return Press(view)
        return Press(self._card(snap, excerpt, ask, where, expanded=action.act is Act.MORE))

    # -- inline mode ------------------------------------------------------------------------

    def inline(self, ask: Ask, raw: str, offset: str) -> InlinePage:
        """Inline results for `@bot words` from `offset`, the next offset, and a tip."""
        snap = self.catalog.current
        start = int(offset) if offset.isdigit() else 0
        if start >= INLINE_MAX:
            return InlinePage([])
        query, _ = clean_query(raw, self.max_query)
        size = min(INLINE_PAGE, INLINE_MAX - start)
        picks: list[tuple[Excerpt, tuple[str, ...]]]
        tip = None
        if query.startswith("id:"):
            found = snap.index.get(query.removeprefix("id:").strip()[:64])
            picks = [(found, ())] if found else []
            total = len(picks)
        elif not query:
            picks = [(e, ()) for e in self._starters(snap)[start : start + size]]
            total = INLINE_MAX
        else:
            result = snap.index.search(query, limit=size, offset=start)
            if start == 0:
                self.stats.record_query(query, bool(result.hits))
            picks = [(h.excerpt, tuple(h.matched_terms)) for h in result.hits]
            total = result.total
            if start == 0:
                tip = self._inline_tip(ask, result)
        articles = [
            cards.article(e, snap.source(e.source_id), ask.lang, terms, ask.bot_username)
            for e, terms in picks
        ]
        following = start + len(articles)
        more = articles and following < min(total, INLINE_MAX)
        return InlinePage(articles, str(following) if more else "", tip)

    @staticmethod
    def _inline_tip(ask: Ask, result: Result) -> str | None:
        """What to say above inline results: why there are none, or that they are the closest
        to a quoted phrase found nowhere (a card's header line has no room in the list)."""
        if result.error:
            return tq.inline_refused(ask.lang)
        if not result.hits:
            return tq.inline_no_match(ask.lang)
        if result.loosened:
            return tq.inline_loosened(ask.lang)
        return None

    # -- helpers ----------------------------------------------------------------------------

    def _card(
        self,
        snap: Snapshot,
        excerpt: Excerpt,
        ask: Ask,
        where: cards.Where | None = None,
        *,
        expanded: bool = False,
    ) -> Reply:
        source = snap.source(excerpt.source_id)
        return cards.card(
            excerpt, source, ask.lang, where, expanded=expanded, bot_username=ask.bot_username
        )

    @staticmethod
    def _starters(snap: Snapshot) -> list[Excerpt]:
        """Good first excerpts: guests' tagged, card-sized thoughts, mixed across interviews.

        Seeded by the corpus size, so everyone sees the same list and Telegram can cache it.
        """
        good = [
            e
            for e in snap.corpus.excerpts
            if e.role.value == "guest" and e.topics and 80 <= len(e.text) <= 400
        ]
        random.Random(len(snap.corpus.excerpts)).shuffle(good)
        by_source: dict[str, list[Excerpt]] = {}
        for excerpt in good:
            by_source.setdefault(excerpt.source_id, []).append(excerpt)
        rounds = itertools.zip_longest(*by_source.values())
        return [e for round_ in rounds for e in round_ if e is not None][:INLINE_MAX]

    @staticmethod
    def _refused(ask: Ask, result: Result) -> Reply:
        code, arg = result.error_code, result.error_arg
        return Reply(tq.query_error(ask.lang, code, arg, result.error or ""))

    def _noted(self, ask: Ask, reply: Reply, trimmed: bool) -> Reply:
        if not trimmed:
            return reply
        note = tc.query_trimmed(ask.lang, self.max_query)
        return Reply(f"{reply.text}\n\n{note}", reply.buttons)

    def _where(
        self, snap: Snapshot, query: str | None, action: Action, excerpt_id: str
    ) -> cards.Where:
        if query is None:
            return cards.Where()
        # Re-run the search to get the total and the highlight terms for this excerpt.
        result = snap.index.search(query, limit=1, offset=action.n)
        hit = result.hits[0] if result.hits else None
        if hit is None or hit.excerpt.id != excerpt_id:
            return cards.Where()  # a neighbour reached through "context": not a search result
        return cards.Where(query, action.n, result.total, tuple(hit.matched_terms))

    def _hit(self, ask: Ask, query: str, rank: int, *, record: bool) -> Reply:
        snap = self.catalog.current
        result = snap.index.search(query, limit=1, offset=max(0, rank))
        if record:
            self.stats.record_query(query, bool(result.hits))
        if result.error:
            return self._refused(ask, result)
        if not result.hits:
            if rank > 0:
                return Reply(tc.stale_button(ask.lang))
            return Reply(tq.no_match(ask.lang, query, tuple(result.suggestions)))
        self.memo.remember(query)
        hit = result.hits[0]
        where = cards.Where(query, rank, result.total, tuple(hit.matched_terms))
        return self._loose(ask, result, self._card(snap, hit.excerpt, ask, where))

    def _page(self, ask: Ask, query: str, page: int, *, record: bool) -> Reply:
        snap = self.catalog.current
        page = max(0, page)
        result = snap.index.search(query, limit=self.page_size, offset=page * self.page_size)
        if record:
            self.stats.record_query(query, bool(result.hits))
        if result.error:
            return self._refused(ask, result)
        if not result.hits:
            if page > 0:
                return Reply(tc.stale_button(ask.lang))
            return Reply(tq.no_match(ask.lang, query, tuple(result.suggestions)))
        self.memo.remember(query)
        items = [
            cards.ListItem(h.excerpt, snap.source(h.excerpt.source_id), tuple(h.matched_terms))
            for h in result.hits
        ]
        listed = cards.result_list(query, items, page, self.page_size, result.total, ask.lang)
        return self._loose(ask, result, listed)

    @staticmethod
    def _loose(ask: Ask, result: Result, reply: Reply) -> Reply:
        """Say, under the header, when a quoted phrase was found nowhere and its words were
        searched instead (the header stays first: buttons read the query back from it)."""
        if not result.loosened:
            return reply
        phrases = tuple(cut(one_line(p), 80)[0] for p in result.loosened[:3])
        header, _, body = reply.text.partition("\n\n")
        note = tq.loosened(ask.lang, phrases)
        return Reply(f"{header}\n\n{note}\n\n{body}", reply.buttons)
