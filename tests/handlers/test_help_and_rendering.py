"""Help's examples really work, and cards stay inside Telegram's limits on the whole corpus."""

from __future__ import annotations

import re

import pytest

from bot.render import actions
from bot.render.cards import Where, card, context_view
from bot.render.html import cut, highlight, utf16_len, visible
from bot.services.answers import Answers, Ask
from bot.services.catalog import Catalog, Snapshot
from bot.services.memo import QueryMemo
from bot.services.stats import Stats
from bot.texts.help import help_text
from tests.e2e.fake_api.rules import check_markup, check_text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_search_example_in_help_finds_something(snapshot: Snapshot, lang: str) -> None:
    answers = Answers(Catalog(snapshot), QueryMemo(), Stats())
    text = help_text(lang, False, "b")  # type: ignore[arg-type]
    examples = re.findall(r"<code>/(quote|search) ([^<]+)</code>", text)
    assert len(examples) >= 5
    for command, query in examples:
        query = query.replace("&quot;", '"')
        reply = getattr(answers, command)(Ask("en"), query)
        assert reply.text.startswith("🔎"), (command, query, reply.text)


def test_every_excerpt_renders_within_limits(snapshot: Snapshot) -> None:
    for excerpt in snapshot.corpus.excerpts:
        source = snapshot.source(excerpt.source_id)
        before, after = snapshot.index.neighbours(excerpt.id)
        where = Where("a query " * 30, 9998, 9999, ("the", "的"))
        for reply in (
            card(excerpt, source, "zh", where, bot_username="InsightBot"),
            card(excerpt, source, "en", where, expanded=True, bot_username="InsightBot"),
            context_view(excerpt, before, after, source, "en", where),
        ):
            check_text(reply.text, "HTML")
            markup = [
                [{"text": b.label, "callback_data": b.data} for b in row if b.data]
                for row in reply.buttons
            ]
            check_markup({"inline_keyboard": markup})


def test_cut_prefers_sentence_ends_and_never_splits_a_character() -> None:
    text = "第一句话。第二句话很长很长很长。Third sentence here. " * 20
    short, was_cut = cut(text, 40)
    assert was_cut and len(short) <= 40 and short.endswith("here. …")
    emoji = "👩‍🔬" * 30
    short, _ = cut(emoji, 11)
    assert "\u200d…" not in short and not short.rstrip("…").endswith("\u200d")


def test_highlight_escapes_everything_else() -> None:
    html = highlight("a <b> & RL & rl", ("rl",))
    assert html == "a &lt;b&gt; &amp; <b>RL</b> &amp; <b>rl</b>"
    assert visible(html) == "a <b> & RL & rl"


def test_callback_data_round_trips_and_refuses_forgeries() -> None:
    action = actions.Action(actions.Act.CONTEXT, "yao-3f9a1c2b", actions.query_key("q"), 12)
    data = actions.encode(action)
    assert data is not None and len(data.encode()) <= 64
    assert actions.decode(data) == action
    assert actions.decode("c|yao-3f9a1c2b|-|12345") is None
    assert actions.decode("c|" + "x" * 41 + "|-|1") is None
    assert utf16_len("👍") == 2
