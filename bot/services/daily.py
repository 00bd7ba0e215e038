"""What a daily post or discussion says: deck picks, questions and rendering, per chat."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.corpus.model import Corpus, Excerpt, Source
from bot.db import chats as chats_repo
from bot.db import decks as decks_repo
from bot.db import subscriptions as subs_repo
from bot.db.engine import Database
from bot.db.models import Subscription
from bot.insights import (
    LangMode,
    Question,
    QuestionBank,
    build_pool,
    discussable,
    pick_next,
    question_for,
    upcoming,
)
from bot.render import insight as render
from bot.render.reply import Reply
from bot.texts import Lang


def subscription_deck(subscription_id: int) -> str:
    """The deck key of a subscription."""
    return f"s:{subscription_id}"


def discussion_deck(chat_id: int) -> str:
    """The deck key of a chat's /discuss prompts."""
    return f"d:{chat_id}"


def _langs(value: str) -> LangMode:
    return "en" if value == "en" else "zh" if value == "zh" else "both"


@dataclass(frozen=True, slots=True)
class PreviewItem:
    """One subscription's upcoming picks for /preview."""

    topic: str
    excerpts: tuple[Excerpt, ...]


class InsightService:
    """Picks excerpts from per-subscription decks and renders posts; reads the live corpus."""

    def __init__(self, db: Database, corpus: Callable[[], Corpus], questions: QuestionBank) -> None:
        self._db = db
        self._corpus = corpus
        self.questions = questions
        self._pools: dict[tuple[int, str, str], list[Excerpt]] = {}

    def _pool(self, corpus: Corpus, topic: str, langs: LangMode) -> list[Excerpt]:
        key = (id(corpus), topic, langs)
        if key not in self._pools:
            if len(self._pools) > 256 or any(k[0] != id(corpus) for k in self._pools):
                self._pools.clear()  # a reload swapped the corpus: old pools are stale
            self._pools[key] = build_pool(corpus.excerpts, topic or None, langs)
        return self._pools[key]

    def topics(self) -> frozenset[str]:
        """Topic slugs that have excerpts in the current corpus."""
        return frozenset(t for e in self._corpus().excerpts for t in e.topics)

    def has_topic(self, topic: str) -> bool:
        """Whether a topic subscription would have anything to deal."""
        return bool(self._pool(self._corpus(), topic, "both"))

    async def choose(
        self, session: AsyncSession, sub: Subscription, excerpt_id: str | None
    ) -> Excerpt | None:
        """The excerpt for a delivery: the one already chosen, else the deck's next (dealt now)."""
        corpus = self._corpus()
        if excerpt_id is not None and (chosen := corpus.excerpt(excerpt_id)) is not None:
            return chosen
        pool = self._pool(corpus, sub.topic, _langs(sub.langs))
        deck = subscription_deck(sub.id)
        state = await decks_repo.state(session, deck)
        pick = pick_next(pool, state, deck, _langs(sub.langs))
        if pick is None:
            return None
        await decks_repo.deal(session, deck, pick)
        return pick.excerpt

    def compose(self, excerpt: Excerpt, sub: Subscription, lang: Lang, local_date: date) -> Reply:
        """The daily post for one subscription and day."""
        corpus = self._corpus()
        seed = f"{sub.id}|{local_date.isoformat()}"
        question = question_for(excerpt, self.questions, seed)
        return render.insight(
            excerpt, corpus.source(excerpt.source_id), question, lang, sub.id, sub.topic or None
        )

    async def chat_lang(self, session: AsyncSession, sub: Subscription) -> Lang:
        """The language a chat's posts are written in: its /lang, else its excerpts' language."""
        chat = await chats_repo.get(session, sub.chat_id)
        if chat is not None and chat.language in ("en", "zh"):
            return "zh" if chat.language == "zh" else "en"
        return "zh" if sub.langs == "zh" else "en"

    async def preview(self, chat_id: int, count: int) -> tuple[PreviewItem, ...]:
        """The next `count` picks of each active subscription of a chat (nothing is dealt)."""
        corpus = self._corpus()
        items: list[PreviewItem] = []
        async with self._db.sessions() as session:
            for sub in await subs_repo.for_chat(session, chat_id):
                if not sub.active:
                    continue
                deck = subscription_deck(sub.id)
                state = await decks_repo.state(session, deck)
                pool = self._pool(corpus, sub.topic, _langs(sub.langs))
                picks = upcoming(pool, state, deck, _langs(sub.langs), count)
                items.append(PreviewItem(sub.topic, tuple(p.excerpt for p in picks)))
        return tuple(items)

    async def discuss(self, chat_id: int, topic: str | None) -> tuple[Excerpt, Question] | None:
        """Deal the chat's next discussion excerpt (with a tied question), or None if none fits."""
        corpus = self._corpus()
        pool = discussable(corpus.excerpts, self.questions, topic)
        if not pool:
            return None
        deck = discussion_deck(chat_id)
        async with self._db.sessions.begin() as session:
            state = await decks_repo.state(session, deck)
            pick = pick_next(pool, state, deck, "both")
            if pick is None:
                return None
            await decks_repo.deal(session, deck, pick)
        seed = f"{deck}|{state.cycle}|{len(state.seen)}"
        question = question_for(pick.excerpt, self.questions, seed, fallback=False)
        assert question is not None  # discussable() only keeps excerpts with a tied question
        return pick.excerpt, question

    def source_of(self, excerpt: Excerpt) -> Source | None:
        """The excerpt's source (for rendering outside this service)."""
        return self._corpus().source(excerpt.source_id)
