"""Transcript 000 (a16z: Mark Chen, Jakub Pachocki) as whole, attributed, bilingual quotes."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from pathlib import Path

import pytest

from bot.corpus.loader import load_corpus
from bot.corpus.manifest import read_manifest
from bot.corpus.model import Role, Source
from bot.corpus.parsers.base import Draft, ParseResult
from bot.corpus.parsers.bilingual_commentary import parse

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SOURCE_ID = "a16z-vibe-researching"
UNATTRIBUTED_LABEL = "Mark Chen / Jakub Pachocki"
CJK = re.compile(r"[\u4e00-\u9fff]")
ENDS_SENTENCE = re.compile(r"[.!?][\"')]*$")


def squash(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


@pytest.fixture(scope="module")
def source() -> Source:
    manifest = read_manifest(CORPUS)
    found = next(s for s in manifest.sources if s.id == SOURCE_ID)
    # The parser finds corpus/curation/<id>.toml through the corpus directory.
    return dataclasses.replace(found, options={**found.options, "corpus_dir": str(CORPUS)})


@pytest.fixture(scope="module")
def text(source: Source) -> str:
    return (CORPUS / source.file).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def result(source: Source, text: str) -> ParseResult:
    return parse(source, text)


@pytest.fixture(scope="module")
def drafts(result: ParseResult) -> list[Draft]:
    return result.drafts


def the_one(drafts: list[Draft], phrase: str) -> Draft:
    hits = [d for d in drafts if phrase in d.text]
    assert len(hits) == 1, f"{phrase!r} is in {len(hits)} excerpts"
    return hits[0]


def test_the_real_file_parses_without_errors(result: ParseResult) -> None:
    # The only remark is the source's own truncation at its last line.
    assert [p.message for p in result.problems] == [
        "file ends mid-sentence (the source is truncated)"
    ]
    assert 80 <= len(result.drafts) <= 110


@pytest.mark.parametrize(
    ("phrase", "speaker"),
    [
        ("Persistence uh is a is a very key trait", "jakub-pachocki"),
        ("should just step into my job for a week", "mark-chen"),
        ("I personally started as a resident", "mark-chen"),
        ("I I I just used Vim pretty much old school.", "jakub-pachocki"),
        ("it was the reason I started working on this in the first place", "mark-chen"),
        ("One thing is that indeed for like these evos", "jakub-pachocki"),
        ("So I think you know researchers come in very different forms.", "mark-chen"),
        ("I expect this will evolve quite rapidly.", "jakub-pachocki"),
    ],
)
def test_known_quotes_come_out_whole_and_attributed(
    drafts: list[Draft], phrase: str, speaker: str
) -> None:
    draft = the_one(drafts, phrase)
    assert draft.speaker_id == speaker
    assert draft.role == Role.GUEST
    assert draft.lang == "en"


def test_the_host_examples_are_their_own_excerpts(drafts: list[Draft]) -> None:
    nano = the_one(drafts, "which is nano banana")
    assert (nano.role, nano.speaker_id, nano.question) == (Role.HOST, "a16z-host", None)
    assert "一个挑衅性的例子是" in squash(nano.translation)
    lee = the_one(drafts, "who kind of famously quit Go")
    assert lee.speaker_id == "a16z-host"
    assert "我被李世石的故事深深触动" in squash(lee.translation)


def test_unattributed_answers_say_so_without_guessing(drafts: list[Draft]) -> None:
    portfolio = the_one(drafts, "this portfolio management question")
    assert portfolio.speaker_id is None
    assert portfolio.speaker_label == UNATTRIBUTED_LABEL
    assert portfolio.role == Role.GUEST
    for draft in drafts:
        if draft.speaker_id is None:
            assert draft.speaker_label == UNATTRIBUTED_LABEL
        else:
            assert draft.speaker_label is None


def test_answers_carry_the_question_they_answer(drafts: list[Draft]) -> None:
    assert "comput is destiny" in (the_one(drafts, "step into my job").question or "")
    # The question broken over two lines (444/446) is one question.
    bugs = the_one(drafts, "silly bugs in software")
    assert "worked well that you wish other people" in (bugs.question or "")
    # 622/624: "…from like a marginal uh / good question?" is joined.
    assert (the_one(drafts, "comput today").question or "").endswith("from like a marginal uh")
    # 218 answers the question asked in its own paragraph at 195.
    assert (the_one(drafts, "prove this millennial price problem").question or "").startswith(
        "we talked a lot about math and science"
    )
    for draft in drafts:
        if draft.role == Role.HOST:
            assert draft.question is None


def test_commentary_sits_on_the_excerpt_it_comments_on(drafts: list[Draft]) -> None:
    evals = the_one(drafts, "One thing is that indeed for like these evos")
    assert "评估" in (evals.commentary or "")
    assert "李世石" in (the_one(drafts, "I just used Vim").commentary or "")
    resident = the_one(drafts, "started as a resident").commentary or ""
    assert "博士" in resident and "驻留研究员" in resident
    assert "投资组合管理" in (the_one(drafts, "portfolio management").commentary or "")
    reward = the_one(drafts, "I expect this will evolve quite rapidly.")
    assert "基于人类反馈的强化学习" in squash(reward.commentary)
    for draft in drafts:
        assert draft.commentary, draft.text[:60]
        assert "**" not in draft.commentary and "==" not in draft.commentary
        assert not draft.commentary.startswith(("-", "•", "1."))
        assert len(draft.commentary) <= 400


def test_each_translation_is_chinese_from_the_same_paragraph(
    drafts: list[Draft], text: str
) -> None:
    lines = text.split("\n")
    for draft in drafts:
        assert draft.translation, draft.text[:60]
        # Chinese, with English glosses such as "(vibe researching)" allowed.
        han = len(CJK.findall(draft.translation))
        latin = len(re.findall(r"[A-Za-z]", draft.translation))
        assert han >= 5 and han >= latin, draft.translation
        assert "**" not in draft.translation  # PDF bold markup is stripped
        # The Chinese paragraph is the first non-English paragraph after the excerpt's line.
        after = (line for line in lines[draft.line :] if line.strip())
        paragraph = next(line for line in after if not line.isascii())
        assert squash(draft.translation) in squash(paragraph.replace("**", "")), draft.text[:60]


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("I I I just used Vim", "Vim"),
        ("this portfolio management question", "投资组合管理"),
        ("prove this millennial price problem", "比如证明一个千禧年大奖难题"),
        ("something that looks like a PhD", "加速一个类似博士"),
        ("silly bugs in software", "在你不知情的情况下让你所有实验都部分失效"),
        ("step into my job for a week", "来我的岗位上干一周"),
        ("Persistence uh is a is a very key trait", "坚毅(Persistence)"),
    ],
)
def test_translation_is_aligned_with_its_window(
    drafts: list[Draft], english: str, chinese: str
) -> None:
    assert chinese in squash(the_one(drafts, english).translation)


def test_no_tables_teasers_or_intro_among_the_quotes(result: ParseResult) -> None:
    for draft in result.drafts:
        for field in (draft.text, draft.translation or "", draft.commentary or ""):
            assert "\t" not in field
            assert "未披 露" not in field and "GPT- 1" not in field
        assert "Thanks for coming Jacob and Mark" not in draft.text
        assert "So automating the discovery of new ideas." not in draft.text  # the teaser's wording
    reasons = Counter(d.reason for d in result.dropped)
    assert reasons == Counter(
        {
            "table": 2,
            "teaser duplicate": 1,
            "host intro": 1,
            "editorial intro": 1,
            "truncated": 1,
            # Routine questions live on as the `question` of the answers after them.
            "host question (kept as question)": 11,
        }
    )
    lines = {
        d.reason: d.line
        for d in result.dropped
        if d.reason in ("host intro", "teaser duplicate", "editorial intro", "truncated")
    }
    assert lines == {
        "editorial intro": 1,
        "teaser duplicate": 23,
        "host intro": 29,
        "truncated": 488,
    }
    teaser = next(d for d in result.dropped if d.reason == "teaser duplicate")
    assert "'凭感觉研究'" in teaser.text  # its Chinese (25 + 27) goes with it
    assert {d.text.split("\n")[0] for d in result.dropped if d.reason == "table"} == {
        "表1:OpenAI基础模型的演进历程",
        "表2:强化学习的核心组成部分",
    }


def test_excerpts_are_whole_sentences(drafts: list[Draft]) -> None:
    # The source itself starts or ends these without a capital or a full stop (ASR); they are
    # whole sentences, not cuts of ours, and corrections.toml may fix them.
    lower_starts = {"we talked a lot about math", "good question? Um honestly"}
    bare_ends = {
        "using multiple tools",
        "gives agents that robustness",
        "reason about that guestion",
    }
    starts, ends = set(), set()
    for draft in drafts:
        if not draft.text[0].isupper():
            starts.add(next(s for s in lower_starts if draft.text.startswith(s)))
        if not ENDS_SENTENCE.search(draft.text):
            ends.add(next(e for e in bare_ends if draft.text.endswith(e)))
    assert (starts, ends) == (lower_starts, bare_ends)
    # 488 breaks off mid-sentence: its answer ends at the last whole sentence.
    hiring = the_one(drafts, "having solved hard problems in any field")
    assert hiring.text.endswith("actually stick with them.")
    assert not any("social media or" in d.text for d in drafts)


def test_windows_are_quote_sized(drafts: list[Draft]) -> None:
    sizes = sorted(len(d.text) for d in drafts)
    assert sizes[len(sizes) // 2] in range(300, 601)  # median
    assert sizes[0] >= 140  # no "Yeah. Yeah." on its own
    assert sizes[-1] <= 900  # only ASR run-on sentences exceed 600


def test_broken_paragraphs_are_joined(drafts: list[Draft]) -> None:
    # 285 + 287 break mid-sentence; the answer window spans both lines.
    reward = the_one(drafts, "Like I think I think you know maybe like two years ago")
    assert reward.line == 285
    assert the_one(drafts, "silly bugs in software").line == 446


def test_search_targets_are_findable(drafts: list[Draft]) -> None:
    targets = [
        "which is nano banana",
        "一个挑衅性的例子是",
        "who kind of famously quit Go",
        "我被李世石的故事深深触动",
        "something that looks like a PhD",
        "加速一个类似博士",
        "就是一个投资组合管理",
        "this portfolio management question",
        "silly bugs in software",
        "在你不知情的情况下让你所有实验都部分失效",
        "researcher versus engineer distinction",
        "researchers come in very different forms",
        "prove this millennial price problem",
        "比如证明一个千禧年大奖难题",
    ]
    haystacks = [squash(d.text) + "\n" + squash(d.translation) for d in drafts]
    for target in targets:
        assert any(squash(target) in h for h in haystacks), target
    # RLHF is named only in the commentary, which the reward-modelling excerpts carry.
    assert any("基于人类反馈的强化学习" in squash(d.commentary) for d in drafts)


def test_sections_are_the_headings(drafts: list[Draft]) -> None:
    assert the_one(drafts, "I just used Vim").section == (
        '从"凭感觉编程"到"凭感觉研究": 人机协作的未来'
    )
    assert the_one(drafts, "which is nano banana").section == "资源分配与优先级"
    assert all(d.section and not d.section[0].isdigit() for d in drafts)


def test_speakers_and_counts(drafts: list[Draft]) -> None:
    counts = Counter(d.speaker_id for d in drafts)
    assert set(counts) == {"mark-chen", "jakub-pachocki", "a16z-host", None}
    assert counts["jakub-pachocki"] >= 20 and counts["mark-chen"] >= 15
    assert all((d.role == Role.HOST) == (d.speaker_id == "a16z-host") for d in drafts)


def test_parsing_is_deterministic_and_texts_unique(source: Source, text: str) -> None:
    first, second = parse(source, text), parse(source, text)
    assert first == second
    texts = [d.text for d in first.drafts]
    assert len(texts) == len(set(texts))  # ids derive from the text: no collisions
    assert [d.line for d in first.drafts] == sorted(d.line for d in first.drafts)


def test_loaded_ids_are_stable_and_every_window_survives(drafts: list[Draft]) -> None:
    first, second = load_corpus(CORPUS), load_corpus(CORPUS)
    ours = [e for e in first.excerpts if e.source_id == SOURCE_ID]
    again = [e for e in second.excerpts if e.source_id == SOURCE_ID]
    assert [e.id for e in ours] == [e.id for e in again]
    assert len({e.id for e in ours}) == len(ours) == len(drafts)  # no window is a duplicate
    assert all(len(e.id) < 20 and e.id.isascii() for e in ours)
    vim = next(e for e in ours if "just used Vim" in e.text)
    assert (vim.speaker, vim.role) == ("Jakub Pachocki", Role.GUEST)
    assert not [p for p in first.problems if "curation" in p.file or "curation" in p.message]


# --- bad input: reported, never raised ------------------------------------------------------


def test_without_a_corpus_dir_the_parser_reports_it(source: Source, text: str) -> None:
    bare = dataclasses.replace(source, options={})
    result = parse(bare, text)
    assert any("corpus_dir" in p.message for p in result.problems)
    # Still usable: every unit becomes an unattributed answer.
    assert result.drafts and all(d.speaker_id is None for d in result.drafts)


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "\n\n\n",
        "深度解读\n\n表1:x\n\na\tb\n",
        "2.1 标题\n\n这是没有英文原文的中文段落。\n",
        "A" * 50 + "\n\n" + "B" * 45 + ".\n\n深度解读\n",
        "\x00\ufeff" + "x" * 41,
    ],
)
def test_malformed_text_never_raises(source: Source, garbage: str) -> None:
    result = parse(source, garbage)
    assert isinstance(result, ParseResult)
    for problem in result.problems:
        assert problem.file and problem.line >= 1


def test_stale_curation_points_at_the_curation_file(source: Source, text: str) -> None:
    curation = {
        "unit": [
            {"anchor": "This paragraph does not exist"},
            {
                "anchor": "Can you say more about how you guys think about evals",
                "parts": [
                    {"speaker": "a16z-host"},
                    {"at": "no such words", "speaker": "jakub-pachocki"},
                    {"at": "One thing is that indeed", "speaker": "nobody"},
                ],
            },
            {"anchor": 42},
        ],
        "commentary": [{"anchor": "不存在的解读", "also": ["x"]}],
    }
    options = {**source.options, "curation": curation}
    result = parse(dataclasses.replace(source, options=options), text)
    messages = [p.message for p in result.problems if p.file == "options.curation"]
    assert any("matches no English paragraph" in m for m in messages)
    assert any("'no such words' not found" in m for m in messages)
    assert any("'nobody' is not in the manifest" in m for m in messages)
    assert any("anchor string" in m for m in messages)
    assert any("matches no 深度解读 block" in m for m in messages)
    evals = the_one(result.drafts, "One thing is that indeed for like these evos")
    assert evals.speaker_id is None  # an unknown speaker is never invented


def test_unreadable_curation_file_is_a_problem(source: Source, text: str, tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[[unit]\nanchor = ", encoding="utf-8")
    options = {**source.options, "curation": str(broken)}
    result = parse(dataclasses.replace(source, options=options), text)
    assert any(p.file.endswith("broken.toml") and "TOML" in p.message for p in result.problems)
