"""Card buttons: paging, context, more, after a restart, for other members, and forged data."""

from __future__ import annotations

import pytest

from bot.render import actions
from bot.services.catalog import Snapshot
from tests.handlers.conftest import Harness, make_harness
from tests.handlers.telegram_fake import BOT_USERNAME, Person


def edits(calls: list) -> list:
    return [c for c in calls if c.method == "editMessageText"]


def toasts(calls: list) -> list[str | None]:
    return [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"]


async def test_next_and_prev_walk_the_matches(bot: Harness, alice: Person) -> None:
    card = await bot.reply("/quote reasoning", alice)
    second = edits(await bot.press(alice, card, "Next"))[0]
    assert second.text.startswith("🔎 reasoning · 2/")
    assert second.result["message_id"] == card.result["message_id"]
    first = edits(await bot.press(alice, second, "Prev"))[0]
    assert first.text == card.text


async def test_buttons_survive_a_restart(snapshot: Snapshot, alice: Person) -> None:
    old = await make_harness(snapshot)
    card = await old.reply("/quote reasoning", alice)
    await old.app.shutdown()
    new = await make_harness(snapshot)  # empty memo: the query comes back from the card itself
    try:
        second = edits(await new.press(alice, card, "Next"))[0]
        assert second.text.startswith("🔎 reasoning · 2/")
        assert new.request.violations == [] and new.errors_reported() == []
    finally:
        await new.app.shutdown()


async def test_another_group_member_can_press(bot: Harness, alice: Person) -> None:
    group, bob = -100300, Person(2002, "Bob", "en")
    card = await bot.reply(f"/quote@{BOT_USERNAME} scaling", alice, group)
    second = edits(await bot.press(bob, card, "Next"))[0]
    assert second.text.startswith("🔎 scaling · 2/")


async def test_context_shows_neighbours_and_returns(bot: Harness, alice: Person) -> None:
    card = await bot.reply("/quote vibe researching", alice)
    context = edits(await bot.press(alice, card, "Context"))[0]
    assert "In context" in context.text and "Before" in context.text and "After" in context.text
    back = edits(await bot.press(alice, context, "Card"))[0]
    assert back.text.startswith("🔎 vibe researching · ")


async def test_more_shows_the_full_commentary(
    bot: Harness, snapshot: Snapshot, alice: Person
) -> None:
    long_one = max(snapshot.corpus.excerpts, key=lambda e: len(e.commentary or ""))
    commentary = (long_one.commentary or "").strip()
    assert len(commentary) > 400
    card = await bot.reply(f"/start q_{long_one.id}", alice)
    assert commentary[:400] not in card.text and "Tap 💬 More" in card.text
    more = edits(await bot.press(alice, card, "More"))[0]
    assert commentary in more.text
    assert len(more.text) <= 4096


async def test_random_another_sends_a_new_card(bot: Harness, alice: Person) -> None:
    card = await bot.reply("/random", alice)
    sent = [c for c in await bot.press(alice, card, "Another") if c.method == "sendMessage"]
    assert len(sent) == 1 and "#" in sent[0].text


@pytest.mark.parametrize(
    "data",
    [
        " ",
        "garbage",
        "g|-|-|1",  # paging without a query key
        "g|-|AAAAAAAA|3",  # a query key nobody has seen, and no card header to recover it from
        "c|nope-00000000|-|0",  # an excerpt that does not exist
        "m|../../etc|-|0",
        "z|a|b|1",
        "c|" + "x" * 70,
        "p|-|" + actions.query_key("x") + "|99999",
        "<b>|'; drop table|-|0",
    ],
)
async def test_forged_or_stale_buttons_get_a_polite_answer(
    bot: Harness, alice: Person, data: str
) -> None:
    message = bot.updates.message_dict("old card", Person(0))  # bot's message without a header
    message["from"] = {"id": 1, "is_bot": True, "first_name": "Insight"}
    calls = await bot.feed(bot.updates.callback(data, alice, message))
    assert toasts(calls) == ["This button no longer works. Please search again."]
    assert edits(calls) == []


async def test_page_past_the_end_is_stale_not_an_error(bot: Harness, alice: Person) -> None:
    card = await bot.reply("/quote vibe researching", alice)
    key = actions.query_key("vibe researching")
    calls = await bot.feed(bot.updates.callback(f"g|-|{key}|9999", alice, card.result))
    assert "no longer works" in edits(calls)[0].text
