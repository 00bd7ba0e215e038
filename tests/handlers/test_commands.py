"""Every command as a user sees it, on the real corpus."""

from __future__ import annotations

import re

from bot.services.catalog import Snapshot
from tests.handlers.conftest import ADMIN, Harness
from tests.handlers.telegram_fake import BOT_USERNAME, Person


async def test_start_welcomes_in_the_users_language(
    bot: Harness, alice: Person, li: Person
) -> None:
    en = await bot.reply("/start", alice)
    zh = await bot.reply("/start", li)
    assert "Alice" in en.text and "/quote" in en.text
    assert "李雷" in zh.text and "试试" in zh.text
    assert en.params["parse_mode"] == "HTML"


async def test_deep_link_opens_one_excerpt(bot: Harness, alice: Person, snapshot: Snapshot) -> None:
    excerpt = snapshot.corpus.excerpts[5]
    card = await bot.reply(f"/start q_{excerpt.id}", alice)
    assert excerpt.text[:40] in card.text
    assert f"#{excerpt.id}" in card.text
    missing = await bot.reply("/start q_nope-00000000", alice)
    assert "nope-00000000" in missing.text and "/random" in missing.text


async def test_help_lists_commands_and_syntax_in_both_languages(
    bot: Harness, alice: Person, li: Person
) -> None:
    en = await bot.reply("/help", alice)
    zh = await bot.reply("/help", li)
    for command in ("/quote", "/search", "/random", "/topics", "/sources", "/speakers", "/lang"):
        assert command in en.text and command in zh.text
    assert "speaker:" in en.text and "搜索" in zh.text
    assert f"@{BOT_USERNAME}" in en.text


async def test_quote_english_card(bot: Harness, alice: Person) -> None:
    card = await bot.reply("/quote vibe researching", alice)
    assert card.text.startswith("🔎 vibe researching · 1/")
    assert "<b>" in card.params["text"]  # matched terms are highlighted
    assert re.search(r"#[a-z0-9-]+", card.text)  # the short id
    labels = [b["text"] for b in card.buttons]
    assert any("Next" in label for label in labels) and any("Context" in label for label in labels)
    share = card.button("Share")
    assert share["switch_inline_query"].startswith("id:")


async def test_quote_chinese_card(bot: Harness, li: Person) -> None:
    card = await bot.reply("/quote 下半场", li)
    assert card.text.startswith("🔎 下半场 · 第 1/")
    assert "下半场" in card.text
    assert any("下一条" in b["text"] for b in card.buttons)


async def test_quote_without_words_explains(bot: Harness, alice: Person) -> None:
    card = await bot.reply("/quote", alice)
    assert "/quote" in card.text and card.buttons == []


async def test_quote_with_no_match_says_so(bot: Harness, alice: Person) -> None:
    card = await bot.reply("/quote zxqvbnm qwxzv", alice)
    assert "Nothing matches" in card.text


async def test_a_misremembered_quote_gets_the_closest_passage_with_a_note(
    bot: Harness, alice: Person, li: Person
) -> None:
    card = await bot.reply('/quote "walking into a candy shop"', alice)  # he said "store"
    header, note, quote = card.text.split("\n\n")[:3]
    assert header.startswith('🔎 "walking into a candy shop" · 1/')
    assert "No passage has the exact words “walking into a candy shop”" in note
    assert "walking into a candy store" in quote
    turned = [c for c in await bot.press(alice, card, "Next") if c.method == "editMessageText"]
    assert turned and " · 2/" in turned[0].text.split("\n", 1)[0]
    page = await bot.reply('/search "如何打造 AI 原生的组织"', li)
    assert "没有原话完全是" in page.text.split("\n\n")[1]


async def test_search_lists_a_page_and_opens_a_result(bot: Harness, alice: Person) -> None:
    page = await bot.reply("/search reinforcement learning", alice)
    assert page.text.startswith("🔎 reinforcement learning · page 1/")
    opened = [c for c in await bot.press(alice, page, "#1") if c.method == "sendMessage"]
    assert len(opened) == 1 and opened[0].text.startswith("🔎 reinforcement learning · 1/")
    turned = [c for c in await bot.press(alice, page, "Next") if c.method == "editMessageText"]
    assert turned and "page 2/" in turned[0].text


async def test_random_topics_sources_speakers(bot: Harness, alice: Person) -> None:
    card = await bot.reply("/random", alice)
    assert "#" in card.text and any("Another" in b["text"] for b in card.buttons)
    topics = await bot.reply("/topics", alice)
    topic = re.search(r"• (\S+) — \d+", topics.text)
    assert topic, topics.text
    on_topic = await bot.reply(f"/random {topic.group(1)}", alice)
    assert "#" in on_topic.text
    unknown = await bot.reply("/random no-such-topic", alice)
    assert "no-such-topic" in unknown.text and "/topics" in unknown.text
    sources = await bot.reply("/sources", alice)
    assert "Vibe Researching" in sources.text and "excerpts" in sources.text
    speakers = await bot.reply("/speakers", alice)
    for name in ("Mark Chen", "Jerry Tworek", "Shunyu Yao"):
        assert name in speakers.text


async def test_lang_switches_the_chat(bot: Harness, alice: Person) -> None:
    done = await bot.reply("/lang zh", alice)
    assert "中文" in done.text
    assert "命令" in (await bot.reply("/help", alice)).text
    usage = await bot.reply("/lang fr", alice)
    assert "/lang en" in usage.text
    await bot.reply("/lang en", alice)
    assert "Commands" in (await bot.reply("/help", alice)).text


async def test_lang_in_a_group_is_for_admins(bot: Harness, alice: Person) -> None:
    group = -100200
    refused = await bot.reply(f"/lang@{BOT_USERNAME} zh", alice, group)
    assert "admins" in refused.text
    bot.request.member_status = "administrator"
    done = await bot.reply(f"/lang@{BOT_USERNAME} zh", alice, group)
    assert "中文" in done.text
    assert "命令" in (await bot.reply("/help", alice, group)).text
    # the group's choice does not leak into Alice's private chat
    assert "Commands" in (await bot.reply("/help", alice)).text


async def test_stats_for_admins_only(bot: Harness, alice: Person) -> None:
    await bot.reply("/quote scaling", alice)
    await bot.reply("/quote zzqqxx", alice)
    refused = await bot.reply("/stats", alice)
    assert "admins" in refused.text
    stats = await bot.reply("/stats", ADMIN)
    assert "Uptime" in stats.text and "Queries today: 2" in stats.text
    assert "zzqqxx" in stats.text.split("Misses")[1]


async def test_command_menus_are_published_per_scope_and_language(bot: Harness) -> None:
    post_init = bot.app.post_init
    assert post_init is not None
    await post_init(bot.app)
    menus = bot.request.sent("setMyCommands")
    scopes = {(c.params["scope"]["type"], c.params.get("language_code")) for c in menus}
    assert ("all_private_chats", None) in scopes and ("all_group_chats", "zh") in scopes
    assert ("all_chat_administrators", None) in scopes and ("chat", None) in scopes
    group = next(c for c in menus if c.params["scope"]["type"] == "all_group_chats")
    assert "lang" not in {c["command"] for c in group.params["commands"]}
