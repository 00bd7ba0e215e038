"""Query syntax: phrases, excludes and filters, and the errors users see for bad filters."""

from __future__ import annotations

from bot.search.query import MAX_QUERY_CHARS, parse_query


def test_free_text_phrases_excludes_and_filters() -> None:
    q = parse_query('speaker:jerry AGI "time line" -robots lang:en topic:agents source:003')
    assert q.error is None
    assert q.text == "agi"
    assert q.phrases == ("time line",)
    assert q.excludes == ("robots",)
    assert q.speakers == ("jerry",)
    assert q.langs == ("en",)
    assert q.topics == ("agents",)
    assert q.sources == ("003",)


def test_quoted_filter_values_and_chinese_quotes_and_keys() -> None:
    q = parse_query('speaker:"mark chen" “强化学习” 说话人:顺雨')
    assert q.speakers == ("mark chen", "顺雨")
    assert q.phrases == ("强化学习",)


def test_unknown_filter_is_refused_with_a_code() -> None:
    q = parse_query("foo:bar agents")
    assert q.error is not None
    assert q.error_code == "unknown_filter"
    assert q.error_arg == "foo"


def test_unsupported_language_is_refused() -> None:
    assert parse_query("lang:fr").error_code == "bad_lang"


def test_urls_and_joined_words_are_not_filters() -> None:
    assert parse_query("https://example.com").error is None
    assert parse_query("pass@k re-act").text == "pass@k re-act"


def test_hyphen_inside_a_word_is_not_an_exclusion() -> None:
    q = parse_query("scale-up runs -minus")
    assert q.text == "scale-up runs"
    assert q.excludes == ("minus",)


def test_overlong_input_is_cut() -> None:
    q = parse_query("agent " * 5000)
    assert len(q.text) <= MAX_QUERY_CHARS


def test_empty_quotes_and_lone_dash_do_not_crash() -> None:
    assert parse_query('""').has_terms is False
    assert parse_query("-").error is None


def test_only_a_last_free_word_with_no_space_after_it_is_open() -> None:
    # Inline queries arrive as the user types: "vibe res" may still become "vibe research".
    assert parse_query("vibe res").open_end
    assert not parse_query("vibe res ").open_end
    assert not parse_query('vibe "res"').open_end
    assert not parse_query("vibe -res").open_end
    assert not parse_query("vibe speaker:jerry").open_end
    assert parse_query("speaker:jerry vibe").open_end
