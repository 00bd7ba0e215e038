"""Any input gets a result or a clear refusal from search, never an exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.search.index import SearchResult
from tests.unit.test_search_index import real_index

NASTY = [
    "",
    " ",
    "a" * 10_000,
    "强化学习" * 2_500,
    "🙂🤖🔥",
    "\x00\x01\x02\x1b[31m",
    "مرحبا بالعالم",
    "\u202eevil\u202c",
    "？！。，…——",
    "!!!???...",
    "speaker:jerry",
    "lang:zh",
    "topic:agents",
    "source:000 lang:en",
    '"',
    '""',
    '"unterminated phrase',
    "-",
    "--",
    "-agent",
    "speaker:",
    'speaker:""',
    ":::",
    "a:b:c",
    "\\",
    "%s %d {0} {}",
    "' OR 1=1 --",
    "\n\n\t",
    "ｆｕｌｌ　ｗｉｄｔｈ　ＡＧＩ",
    "學習 強化學習",
]


def check(result: SearchResult) -> None:
    assert isinstance(result, SearchResult)
    assert result.error_code != "internal"
    if result.error is not None:
        assert not result.hits
    assert result.total >= len(result.hits)
    for hit in result.hits:
        assert hit.score >= 0


def test_nasty_inputs() -> None:
    for query in NASTY:
        check(real_index().search(query))


def test_bad_paging_values_are_clamped() -> None:
    check(real_index().search("agent", limit=0, offset=-5))
    check(real_index().search("agent", limit=10_000, offset=10_000_000))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text(query: str) -> None:
    check(real_index().search(query))


_WORDS = st.sampled_from(
    [
        "agent",
        "泛化",
        "强化学习",
        "speaker:jerry",
        "lang:en",
        "topic:agents",
        "-agent",
        '"the',
        "“",
        "：",
        "@",
        "re-act",
        "gpt-5.1",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS | st.text(max_size=8), max_size=8))
def test_any_mix_of_syntax(parts: list[str]) -> None:
    check(real_index().search(" ".join(parts), limit=7, offset=3))
