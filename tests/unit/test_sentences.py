"""Sentence splitting and windows: never mid-sentence, within limits, nothing lost."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.corpus.sentences import (
    detect_lang,
    join_sentences,
    sentence_windows,
    split_sentences,
    window_spans,
    windows,
)


def test_english_sentences_keep_abbreviations_numbers_and_quotes() -> None:
    text = 'Mr. Smith said e.g. this works. GPT-5.2 is out! Is it? "Yes." Then we move on'
    assert split_sentences(text, "en") == [
        "Mr. Smith said e.g. this works.",
        "GPT-5.2 is out!",
        "Is it?",
        '"Yes."',
        "Then we move on",
    ]


def test_chinese_sentences_end_at_full_width_and_ascii_marks() -> None:
    text = "这很有意思，因为我是个乖学生。他说“好的。”然后呢？OpenAI 是最好的.然后加入 research?对"
    assert split_sentences(text, "zh") == [
        "这很有意思，因为我是个乖学生。",
        "他说“好的。”",
        "然后呢？",
        "OpenAI 是最好的.",
        "然后加入 research?",
        "对",
    ]


def test_windows_balance_and_respect_limits() -> None:
    sentences = [f"Sentence number {n} is here." for n in range(12)]
    out = windows(sentences, max_chars=600, max_sentences=5)
    assert len(out) == 3  # 12 sentences need three windows of at most 5
    assert [len(split_sentences(w, "en")) for w in out] == [4, 4, 4]


def test_an_overlong_sentence_stays_whole() -> None:
    long = "word " * 200 + "end."
    out = windows(["Short one.", long.strip(), "Short two."], max_chars=100)
    assert long.strip() in out


def test_window_spans_match_windows() -> None:
    sentences = split_sentences("One. Two. Three. Four. Five. Six. Seven.", "en")
    spans = window_spans(sentences, max_chars=20)
    assert [join_sentences(sentences[a:b]) for a, b in spans] == windows(sentences, max_chars=20)


def test_join_puts_spaces_only_between_latin_text() -> None:
    assert join_sentences(["Hello.", "World."]) == "Hello. World."
    assert join_sentences(["你好。", "世界。"]) == "你好。世界。"
    assert sentence_windows("你好。世界。", "zh") == ["你好。世界。"]


def test_detect_lang() -> None:
    assert detect_lang("我觉得 agent 是最重要的事情") == "zh"
    assert detect_lang("The agent is the most important thing") == "en"


@given(st.lists(st.text(alphabet="abc 。.?!x", min_size=1, max_size=80), max_size=12))
def test_windows_lose_no_text(pieces: list[str]) -> None:
    sentences = [p.strip() for p in pieces if p.strip()]
    out = windows(sentences, max_chars=60, max_sentences=3)
    assert "".join(out).replace(" ", "") == "".join(sentences).replace(" ", "")
    for window, (a, b) in zip(out, window_spans(sentences, 60, 3), strict=True):
        assert b - a == 1 or (b - a <= 3 and len(window) <= 60)
