"""The 新智元 article on Mark Chen (004): his words and reported speech, minus the site chrome."""

from __future__ import annotations

import re

import pytest

from bot.corpus.model import Role, Source, Speaker
from bot.corpus.parsers.base import ParseResult
from bot.corpus.parsers.news_article import mentions, parse
from tests.unit.real_sources import only_draft, squeeze

SOURCE_ID = "xinzhiyuan-mark-chen"

SEARCH_TARGETS = (
    "它们能够进行自我维持的研究",
    "模型负责把活全干完",
    "是能替你完成有意义的",
    "很多人是在今年年初",
    "AlphaGo对战李世石",
)


@pytest.fixture(scope="module")
def result(source: Source, raw: str) -> ParseResult:
    return parse(source, raw)


def test_search_targets_are_in_excerpt_text(result: ParseResult) -> None:
    for target in SEARCH_TARGETS:
        assert only_draft(result, target).speaker_id == "mark-chen"


@pytest.mark.parametrize(
    "quote",
    [
        "我们正越来越接近这样一个世界:模型能够自主提出更多创新——它们能够进行自我维持的研究。",
        "「最疯狂的是,」Mark说,「你现在在几乎每一个领域,都能看到『神之一手』。」",
        "「我们正处在指数曲线上。它已经撑过了将近10个数量级,没有任何理由它不会继续撑下去。」",
        "「我们真的处在一场评测危机里。」他说,SAT那种经典测试,对今天的模型全都饱和了。",
        "但「很多发都已经瞄准了球门,我相当确定它们会进。」",
        "我想去开个面馆。这可能是我的AGI后爱好。",
    ],
)
def test_direct_quotes_are_whole_and_his(result: ParseResult, quote: str) -> None:
    draft = only_draft(result, quote)
    assert draft.speaker_id == "mark-chen"
    assert draft.role is Role.GUEST


@pytest.mark.parametrize(
    "report",
    [
        "他描述了一个很微妙的时间点:很多人是在今年年初「一觉醒来」",
        "Mark Chen对这些唱衰「相当激烈地反对」。",
        "Mark认为,未来的顶级研究员将不再是那个写下每一行PyTorch代码的人",
        "他用了一个内部词,叫「Benchmaxxing」(刷榜)",
        "他还指出,每一项新能力的出现都会伴随着对应的评估需求",
        "而Mark Chen的回应则是:直接把汤带到办公室分给大家。",
    ],
)
def test_reported_speech_is_the_narrators(result: ParseResult, report: str) -> None:
    draft = only_draft(result, report)
    assert draft.speaker_id == "mark-chen"
    assert draft.role is Role.NARRATOR


def test_excerpts_group_one_to_three_lines_in_order(result: ParseResult, raw: str) -> None:
    assert 12 <= len(result.drafts) <= 25
    lines = raw.splitlines()
    for draft in result.drafts:
        assert 9 <= draft.line <= 165
        assert lines[draft.line - 1].strip().lstrip("「")[:6] in draft.text
        assert draft.text.count("\n") < 3
    assert [d.line for d in result.drafts] == sorted(d.line for d in result.drafts)


def test_scare_quotes_are_not_quotes(result: ParseResult) -> None:
    texts = " ".join(d.text for d in result.drafts if d.role is Role.GUEST)
    for emphasis in (
        "「进化」",
        "「预训练已死」听着很新鲜",
        "「品味」",
        "「汤」的故事",
        "「体验」",
    ):
        assert emphasis not in texts
    assert not any(d.text.startswith("当Mark Chen在镜头前") for d in result.drafts)
    assert only_draft(result, "「模型自我维持研究不远了」").role is Role.NARRATOR


def test_commentary_is_the_authors_nearest_lines(result: ParseResult) -> None:
    assert all(d.commentary for d in result.drafts)
    noodle = only_draft(result, "我想去开个面馆")
    assert (noodle.commentary or "").startswith("这个回答里藏着深意。")
    crisis = only_draft(result, "我们真的处在一场评测危机里")
    assert "一旦被公开到世界上,它就已经不是好评测了" in (crisis.commentary or "")
    opening = only_draft(result, "它们能够进行自我维持的研究")
    assert (opening.commentary or "").startswith("这不仅仅是效率的提升")
    for draft in result.drafts:  # commentary is never an excerpt of its own
        assert squeeze(draft.commentary or "") not in squeeze(draft.text)


def test_sections_come_from_headings(result: ParseResult) -> None:
    assert only_draft(result, "我想去开个面馆").section == "汤的隐喻:在AGI之后去开个面馆"
    assert (
        only_draft(result, "Benchmaxxing").section
        == "但这条路上,全是还没填平的坑 · 第一个坑:评测,崩了"
    )
    assert only_draft(result, "它们能够进行自我维持的研究").section is None
    sections = {d.section for d in result.drafts}
    assert "这就是所谓的「品味」(Taste)" not in sections


def test_references_source_line_and_boilerplate_are_dropped(result: ParseResult) -> None:
    for draft in result.drafts:
        for text in (draft.text, draft.commentary or ""):
            for junk in ("Bitcoin", "Trending", "HTX", "Related", "marsbit", "本文来自", "http"):
                assert junk not in text
            assert not re.search(r"^[QA](Mark|根据|为什么)", text)
    by_reason: dict[str, list[int]] = {}
    for dropped in result.dropped:
        by_reason.setdefault(dropped.reason, []).append(dropped.line)
    assert by_reason["source line"] == [173]
    assert by_reason["references"] == [167, 169, 171]
    assert min(by_reason["boilerplate"]) == 175
    assert by_reason["image placeholder"] == [231]
    assert by_reason["title"] == [1]
    assert by_reason["metadata"] == [3]
    assert by_reason["abstract (commentary)"] == [7]
    assert result.problems == []


def test_a_namesake_is_not_the_speaker() -> None:
    mark = Speaker("mark-chen", "Mark Chen", aliases=("Mark", "Chen"))
    assert mentions("Mark说,「你好」", mark)
    assert mentions("刚刚,OpenAI首席研究官Mark Chen豪言:", mark)
    assert not mentions("据说Mark Zuckerberg曾试图用汤挖人", mark)
    assert not mentions("Benchmark 太少了", mark)


def test_parsing_is_deterministic(source: Source, raw: str) -> None:
    assert parse(source, raw) == parse(source, raw)


@pytest.mark.parametrize(
    "text",
    ["", "只有标题", "标题\n\nAbstract", "标题\n\n参考资料:\n\nhttp://x", "\x00「」:\n他"],
)
def test_malformed_input_is_reported_not_raised(source: Source, text: str) -> None:
    result = parse(source, text)
    assert all(p.file == source.file for p in result.problems)
    nobody = Source(id="n", file="n.txt", layout="news-article", title="n", languages=("zh",))
    assert parse(nobody, "标题\n\n正文。").problems[0].line == 1
