"""Inline mode: cards as articles, paged with next_offset, a cache time, and starters."""

from __future__ import annotations

import json
import re

from tests.handlers.conftest import Harness
from tests.handlers.telegram_fake import Person


async def inline(bot: Harness, person: Person, query: str, offset: str = "") -> dict:
    calls = await bot.feed(bot.updates.inline(query, person, offset))
    assert [c.method for c in calls] == ["answerInlineQuery"]
    return calls[0].params


async def test_inline_search_pages_up_to_fifty(bot: Harness, alice: Person) -> None:
    offset, seen = "", []
    for _ in range(10):
        answer = await inline(bot, alice, "model", offset)
        seen += [r["id"] for r in answer["results"]]
        assert int(answer["cache_time"]) > 0
        offset = answer.get("next_offset", "")
        if not offset:
            break
    assert 10 < len(seen) <= 50 and len(set(seen)) == len(seen)
    first = (await inline(bot, alice, "model"))["results"][0]
    assert " · " in first["description"]  # speaker · source
    assert first["input_message_content"]["parse_mode"] == "HTML"


async def test_empty_query_shows_starters(bot: Harness, alice: Person) -> None:
    answer = await inline(bot, alice, "")
    assert 3 <= len(answer["results"]) <= 10


async def test_share_button_query_finds_that_excerpt(bot: Harness, alice: Person) -> None:
    card = await bot.reply("/quote vibe researching", alice)
    share = card.button("Share")["switch_inline_query"]
    answer = await inline(bot, alice, share)
    assert [r["id"] for r in answer["results"]] == [share.removeprefix("id:")]


def tip(answer: dict) -> dict:
    button = answer.get("button")
    return json.loads(button) if isinstance(button, str) else button or {}


async def test_no_match_is_an_empty_answer_with_a_tip(
    bot: Harness, alice: Person, li: Person
) -> None:
    answer = await inline(bot, alice, "zzqqxxvv")
    assert answer["results"] == [] and not answer.get("next_offset")
    assert tip(answer)["text"].startswith("Nothing found")
    tips = await bot.reply(f"/start {tip(answer)['start_parameter']}", alice)
    assert "speaker:" in tips.text and "-coding" in tips.text  # the search syntax help
    refused = await inline(bot, li, "colour:red 模型")
    assert refused["results"] == [] and "搜索语法" in tip(refused)["text"]


async def test_a_misremembered_quote_lists_the_closest_under_a_tip(
    bot: Harness, alice: Person
) -> None:
    exact = await bot.reply('/quote "walking into a candy store"', alice)
    answer = await inline(bot, alice, '"walking into a candy shop"')  # he said "store"
    assert f"#{answer['results'][0]['id']}" in exact.text
    assert tip(answer)["text"].startswith("No exact match")
    found = await inline(bot, alice, "candy store")
    assert found["results"] and not tip(found)


async def test_results_follow_a_word_still_being_typed(bot: Harness, alice: Person) -> None:
    # Telegram sends inline queries as the user types: "semicond" is on its way to
    # semiconductor (as a finished word it would be read as a typo of "second").
    answer = await inline(bot, alice, "semicond")
    card = answer["results"][0]["input_message_content"]["message_text"]
    assert "semiconductor" in re.sub(r"<[^>]+>", "", card).lower()
