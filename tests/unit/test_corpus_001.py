"""The MAD Podcast notes (001) cut into Jerry Tworek's answers with questions and takeaways."""

from __future__ import annotations

import pytest

from bot.corpus.model import Role, Source, Speaker
from bot.corpus.parsers.base import ParseResult
from bot.corpus.parsers.timestamped_notes import parse, split_notes
from tests.unit.real_sources import CORPUS, only_draft

SOURCE_ID = "mad-tworek-gpt5"

SEARCH_TARGETS = (
    "scale-up runs",
    "本质上在扩展我们的",
    "比如比较两段文本",
    "我们内部起初并不惊艳",
    "大量人力集中到少数极具雄心的项目上",
    "one-token eval",
    "一旦让它说得更长",
)


@pytest.fixture(scope="module")
def result(source: Source, raw: str) -> ParseResult:
    return parse(source, raw)


def test_search_targets_are_in_excerpt_text(result: ParseResult) -> None:
    for target in SEARCH_TARGETS:
        only_draft(result, target)


@pytest.mark.parametrize(
    "quote",
    [
        "我觉得“思考过程”是个不错的类比。",
        "最终确实如此。你总能等更久拿到更好答案，但问题是你愿不愿意等。",
        "我会把它看作一系列“scale-up runs（放大实验）”，本质上在扩展我们的 reinforcement learning"
        "（RL）研究计划与能力。",
        "把大量人力集中到少数极具雄心的项目上（大约 3-4 个）。",
        "答案是 RLHF（reinforcement learning from human feedback）：用 PPO 在大语言模型上做 RL",
        "RL 需要 pre-training，pre-training 也需要 RL。",
    ],
)
def test_known_quotes_come_out_whole_and_attributed_to_jerry(
    result: ParseResult, quote: str
) -> None:
    draft = only_draft(result, quote)
    assert draft.speaker_id == "jerry-tworek"
    assert draft.role is Role.GUEST
    assert draft.lang == "zh"


def test_only_jerry_is_quoted_and_host_turns_become_questions(result: ParseResult) -> None:
    assert {d.speaker_id for d in result.drafts} == {"jerry-tworek"}
    texts = " ".join(d.text for d in result.drafts)
    for host_words in ("欢迎来到 MAD podcast", "给 10 岁小朋友解释一下 RL", "他们还让你付费"):
        assert host_words not in texts
    assert only_draft(result, "最终确实如此").question == "所以更多还是用户体验层面的选择？"
    assert only_draft(result, "就像训练狗").question == "给 10 岁小朋友解释一下 RL？"
    # A section without a host turn has no question, not the previous section's one.
    assert only_draft(result, "送完孩子上学后").question is None


def test_unlabelled_continuation_belongs_to_jerry(result: ParseResult) -> None:
    draft = only_draft(result, "训练 GPT-4 时，很多人现在觉得它很强")
    assert draft.speaker_id == "jerry-tworek"
    assert draft.line == 86  # the window starts inside Jerry's labelled turn


def test_long_turns_are_split_at_sentence_ends(result: ParseResult) -> None:
    for first_words in ("语言模型本质上常被称为", "就像训练狗", "主要的“地壳运动”"):
        first = only_draft(result, first_words)
        rest = [d for d in result.drafts if d.line == first.line and d is not first]
        assert rest, f"the turn starting {first_words!r} should be cut into windows"
    for draft in result.drafts:
        assert draft.text.endswith(("。", "？", "！", "”", "）")), draft.text[-20:]
        assert len(draft.text) <= 400


def test_takeaways_are_commentary_of_the_answer_before_them(result: ParseResult) -> None:
    cot = only_draft(result, "语言模型本质上常被称为")
    assert cot.commentary is not None
    assert cot.commentary.startswith("chain-of-thought 是把求解步骤显性地‘写’出来")
    both = [only_draft(result, "这属于我们的优化"), only_draft(result, "最终确实如此")]
    for draft in both:
        assert draft.commentary is not None
        assert draft.commentary.startswith("在质量与延迟之间做取舍")
    rl = only_draft(result, "先 pre-train，再做 reinforcement learning")
    assert rl.commentary is not None
    assert rl.commentary.startswith("“pre-training + RL”是 OpenAI 自 2019 年即确立的研究主线")
    # The day-in-the-life section has no takeaway and no summary bullet.
    assert only_draft(result, "送完孩子上学后").commentary is None


def test_summary_bullets_are_commentary_for_their_sections(result: ParseResult) -> None:
    opening = only_draft(result, "坦白说，它当时主要还是擅长解谜")
    assert opening.commentary is not None
    assert "tectonic shift" in opening.commentary
    rlhf = only_draft(result, "比如比较两段文本")
    assert rlhf.commentary is not None
    assert "GPT-4 训练完成时，团队内部一度“并不惊艳”" in rlhf.commentary
    data = only_draft(result, "前沿会不断前移")
    assert data.commentary is None


def test_editor_notes_leave_the_quote_for_the_commentary(result: ParseResult) -> None:
    priorities = only_draft(result, "大量人力集中到少数极具雄心的项目上")
    assert "top-down定核心项目" not in priorities.text
    assert priorities.commentary is not None
    assert "top-down定核心项目，项目内bottom-up" in priorities.commentary
    scale = only_draft(result, "scale-up runs")
    assert scale.commentary == "主要是RL的scale，和Pretrain关系不大"
    assert scale.question is not None
    assert "（" not in scale.question
    everything = [d.text for d in result.drafts] + [d.question or "" for d in result.drafts]
    assert not any("ASR" in text for text in everything)
    assert "DQN（Deep Q-Learning）" in only_draft(result, "地壳运动").text
    notes = {d.text for d in result.dropped if d.reason == "transcription note"}
    assert notes == {"ASR 原文作 0.1", "ASR 原文作 DQL", "节目名 ASR 可能有误"}


def test_sections_and_timestamps(result: ParseResult) -> None:
    scale = only_draft(result, "scale-up runs")
    assert scale.section == "从 O1 到 O3 到 ChatGPT-5：一年间 reasoning 的演进"
    assert scale.timestamp == "00:07:20 - 00:07:59"
    assert all(d.section and d.timestamp for d in result.drafts)


def test_no_markup_front_matter_metadata_or_footer(result: ParseResult) -> None:
    for draft in result.drafts:
        for text in (draft.text, draft.commentary or "", draft.question or ""):
            assert "**" not in text
            assert "==" not in text
        for junk in ("欢迎交流与合作", "cleezhang", "dg-publish", "本文发表于", "总字数"):
            assert junk not in draft.text
            assert junk not in (draft.commentary or "")
    reasons = {d.reason for d in result.dropped}
    assert {"front matter", "metadata", "footer", "trivial turn"} <= reasons
    assert not [p for p in result.problems]


def test_parsing_is_deterministic(source: Source) -> None:
    text = (CORPUS / source.file).read_text(encoding="utf-8")
    assert parse(source, text) == parse(source, text)


def test_gloss_after_a_highlight_is_kept_but_a_note_is_not() -> None:
    text, editor, _ = split_notes("==everyone knows everything==（人人都知道一切）")
    assert text == "==everyone knows everything==（人人都知道一切）"
    assert editor == []
    text, editor, _ = split_notes("==不要各自分裂==（top-down定核心项目）。完全")
    assert text == "==不要各自分裂==。完全"
    assert editor == ["top-down定核心项目"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "---\nno end",
        "## 原始全文\n**Somebody**：hello there, who am I?\nstray line",
        "## 原始全文\n### 没有时间戳\n**加粗要点**：**“孤立的要点”**\n**Jerry**：好。",
        "\x00\x01 ### **：",
    ],
)
def test_malformed_input_is_reported_not_raised(text: str) -> None:
    source = Source(
        id="t",
        file="t.md",
        layout="timestamped-notes",
        title="t",
        languages=("zh",),
        speakers=(Speaker("g", "Guest", labels=("Jerry",)),),
        options={"summary_sections": "not a list"},
    )
    result = parse(source, text)
    assert all(p.file == "t.md" and p.line >= 1 for p in result.problems)
    assert all(d.speaker_id == "g" for d in result.drafts)
