"""The raw diarised 姚顺雨 interview (002): his answers, cold open and cut fragments repaired."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.corpus.model import Role, Source, Speaker
from bot.corpus.parsers.base import ParseResult
from bot.corpus.parsers.speaker_turns import leading_fragment, parse, trailing_fragment
from bot.corpus.sentences import split_sentences
from tests.unit.real_sources import only_draft, squeeze

SOURCE_ID = "zhangxiaojun-yao-shunyu"

SEARCH_TARGETS = (
    "如果你要有数据飞轮",
    "我可以去做数据飞轮",
    "我觉得我可能会不急",
    "我觉得安全是一个很复杂的问题",
    "我觉得另一点就是重新思考开源",
    "但如果你能进入一个心流",
    "他是一个认知科学的大佬",
    "它和人学习方法就是很不一样",
    "你需要把自然语言处理和强化学习的边界也给打通",
    "我觉得这个事情需要可能比如十年后或者五年后再去看",
    "他们有打磨产品的基因",
    "就是说我创造了一种新的交互方式",
    "只不过它有语音而不是文字",
    "然后雅虎从某种上来说是一个更像黄页的",
    "那那那我们就应该试图更像人",
    "并且可以第一性思考",
    "这是之所以现在做的人很少",
    "我还是喜欢把事情想的清楚一点再去做",
)


def two_speaker_source(**options: object) -> Source:
    """A small speaker-turns source: Speaker 1 hosts, Speaker 2 is the guest."""
    return Source(
        id="t",
        file="t.txt",
        layout="speaker-turns",
        title="t",
        languages=("zh",),
        speakers=(
            Speaker("guest", "Guest", role=Role.GUEST, labels=("Speaker 2",)),
            Speaker("host", "Host", role=Role.HOST, labels=("Speaker 1",)),
        ),
        options=options,
    )


@pytest.fixture(scope="module")
def result(source: Source, raw: str) -> ParseResult:
    return parse(source, raw)


def test_search_targets_are_in_guest_excerpts(result: ParseResult) -> None:
    for target in SEARCH_TARGETS:
        assert only_draft(result, target).speaker_id == "yao-shunyu"


def test_the_hosts_wechat_question_is_the_question_of_his_answer(result: ParseResult) -> None:
    # "如果你是微信的老板" is the host's words: findable as the question, never as a quote.
    answer = only_draft(result, "我觉得我可能会不急")
    assert answer.question is not None
    assert "如果你是微信的老板" in answer.question
    assert not any("如果你是微信的老板" in d.text for d in result.drafts)


@pytest.mark.parametrize(
    "quote",
    [
        "我觉得本质区别是可以推理，因为推理才可以泛化。",
        "我觉得创业公司应该担心的事情是模型没有溢出能力，对吧？",
        "我觉得安全是一个很复杂的问题，就是当每个人说安全的时候，其实他可能想的事情也不一样。",
        "我觉得好的 AI 产品经理可能就是一个好的产品经理，并且可以第一性思考。",
        "我觉得意识是一个没有被很好定义的东西。",
        "我觉得另一点就是重新思考开源。",
    ],
)
def test_known_quotes_come_out_whole_and_attributed_to_yao(result: ParseResult, quote: str) -> None:
    draft = only_draft(result, quote)
    assert draft.speaker_id == "yao-shunyu"
    assert draft.role is Role.GUEST
    assert draft.lang == "zh"


def test_every_excerpt_is_the_guest(result: ParseResult) -> None:
    assert len(result.drafts) > 200
    assert {(d.speaker_id, d.role) for d in result.drafts} == {("yao-shunyu", Role.GUEST)}


def test_no_host_turn_is_returned_as_a_quote(result: ParseResult, raw: str) -> None:
    texts = [squeeze(d.text) for d in result.drafts]
    host_lines = [line[len("Speaker 1:") :] for line in raw.splitlines() if "Speaker 1:" in line]
    checked = 0
    for line in host_lines:
        for sentence in split_sentences(line, "zh"):
            if len(sentence) >= 15:
                checked += 1
                assert not any(squeeze(sentence) in text for text in texts), sentence
    assert checked > 100


def test_cold_open_teasers_are_dropped_not_duplicated(result: ParseResult) -> None:
    teasers = [d for d in result.dropped if d.reason == "teaser duplicate"]
    assert [d.line for d in teasers] == [1, 3, 5, 7]
    assert not any("back on 有 different super APP" in d.text for d in result.drafts)
    assert not any("你只有有个 different bat" in d.text for d in result.drafts)
    counts = Counter(
        squeeze(sentence)
        for d in result.drafts
        for sentence in split_sentences(d.text, "zh")
        if len(sentence) >= 25
    )
    assert [s for s, n in counts.items() if n > 1] == []
    assert min(d.line for d in result.drafts) == 15  # the first real answer


def test_trivial_turns_are_dropped(result: ParseResult) -> None:
    trivial = {d.text for d in result.dropped if d.reason == "trivial turn"}
    assert {"你说反叛精神。", "很有意思。", "我什么时候。", "我觉得有很多。"} <= trivial
    assert not any(d.text in trivial for d in result.drafts)


@pytest.mark.parametrize(
    ("words", "ending"),
    [
        ("就是我前 28 年的人生非常的乖", "就是我前 28 年的人生非常的乖。"),
        ("然后去试图并构建一个更更通用的系统", "然后去试图并构建一个更更通用的系统。"),
        ("或者认为这个事情是可能的", "或者认为这个事情是可能的。"),
        ("那那那我们就应该试图更像人", "那那那我们就应该试图更像人。"),
        ("他们有打磨产品的基因", "他们有打磨产品的基因。"),
        ("而不是一个单向超的关系", "而不是一个单向超的关系。"),
        ("也许说明说唱歌手是一个被人们低估的工作", "被人们低估的工作。"),
    ],
)
def test_fragments_of_the_next_turn_are_cut_off_the_answer(
    result: ParseResult, words: str, ending: str
) -> None:
    assert squeeze(only_draft(result, words).text).endswith(squeeze(ending))


def test_no_excerpt_starts_or_ends_with_a_known_diarisation_fragment(result: ParseResult) -> None:
    bad_endings = ("对当你进入到。", "今天我们的。", "对刚才。", "我觉得在你。", "对你怎么。")
    bad_endings += ("在清华姚班。", "我个人的观点就是。", "对你你说的。", "我觉得。")
    bad_starts = ("了 agent", "的事情是个好问题", "能看到两年以后", "的经济价值")
    for draft in result.drafts:
        text = draft.text.strip()
        assert not text.endswith(bad_endings), text[-30:]
        assert not text.startswith(bad_starts), text[:30]
        assert text[-1] in "。？！.?!", text[-30:]
    # The fragments went where they belong: into the neighbouring turn.
    assert (only_draft(result, "这个事情的逻辑是").question or "").endswith("然后再有了 agent")
    assert only_draft(result, "还是会基于这个事情").text.endswith("还是会基于这个事情的经济价值。")


def test_questions_come_from_the_preceding_host_turn(result: ParseResult) -> None:
    assert only_draft(result, "我觉得是他的 general ality").question == (
        "你觉得 agent 或者说 language 最吸引的是什么？"
    )
    first_bert = only_draft(result, "我觉得我第一年最大的收获")
    assert first_bert.question is not None
    assert first_bert.question.startswith("当你进入到")  # the guest's cut-off clause moved over
    # "对。" from the host does not replace the real question.
    assert only_draft(result, "这很有意思，因为我感觉我是个非常乖的学生").question is not None
    assert "反叛精神" in (only_draft(result, "这很有意思，因为我感觉").question or "")


def test_a_question_the_guest_interrupts_stays_one_question(result: ParseResult) -> None:
    # Host: "…是不是我们就要给他发身份证？" Yao: "发身份证的目的是什么？" (too short to quote)
    # Host: "就是他作为一个独立个体跟我们共存了。" Both host turns are what the answer replies to.
    question = only_draft(result, "拟人化就是一个很合理的存在的未来").question or ""
    assert "是不是我们就要给他发身份证" in question
    assert question.endswith("就是他作为一个独立个体跟我们共存了。")
    # A new question after an answer starts afresh.
    assert "发身份证" not in (only_draft(result, "对我我对 Crystal 了解不多").question or "")


def test_a_long_intro_does_not_push_the_question_out() -> None:
    source = two_speaker_source()
    intro = "欢迎收听本期节目，今天的嘉宾非常特别。" * 20
    text = (
        f"Speaker 1: {intro}\n\nSpeaker 1: 你最近在研究什么？\n\n"
        "Speaker 2: 我最近在研究智能体的记忆问题。"
    )
    (draft,) = parse(source, text).drafts
    assert draft.question == "你最近在研究什么？"


def test_long_turns_are_cut_into_sentence_windows(result: ParseResult) -> None:
    windows = [d for d in result.drafts if d.line == 231]
    assert len(windows) >= 2
    assert all(len(d.text) <= 420 for d in windows)
    assert sum(len(d.text) > 600 for d in result.drafts) == 0


def test_parsing_is_deterministic(source: Source, raw: str) -> None:
    assert parse(source, raw) == parse(source, raw)


def test_fragment_helpers() -> None:
    assert trailing_fragment("我觉得这很好。对刚才。") == ("我觉得这很好。", "刚才")
    assert trailing_fragment("这个世界是最难的。") == ("这个世界是最难的。", "")
    assert trailing_fragment("第一句话在这里。你怎么看？") == ("第一句话在这里。你怎么看？", "")
    assert leading_fragment("了 agent 对我觉得这样。") == ("了 agent", "我觉得这样。")
    assert leading_fragment("我觉得这样。") == ("", "我觉得这样。")


def test_malformed_and_unknown_labels_are_reported() -> None:
    source = two_speaker_source(max_chars="bad")
    text = (
        "开头没有标签的一句话。\n\nSpeaker 3: 我是谁我也不知道啊啊啊。\n\n"
        "Speaker 1: 你怎么看这个问题呢？\n\nSpeaker 2: 我觉得这个问题非常值得讨论一下。"
    )
    result = parse(source, text)
    assert [d.text for d in result.drafts] == ["我觉得这个问题非常值得讨论一下。"]
    assert result.drafts[0].question == "你怎么看这个问题呢？"
    assert {p.line for p in result.problems} == {1, 3}
    for bad in ("", "\x00", "Speaker 2:", "Speaker 1: 只有主持人。"):
        assert parse(source, bad).drafts == []
