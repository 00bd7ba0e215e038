"""Search as you type: completing an unfinished word from the corpus's own words."""

from __future__ import annotations

from bot.search.completion import MAX_COMPLETIONS, Completer


def test_commonest_completions_first_and_never_the_prefix_itself() -> None:
    c = Completer({"research": 40, "researchers": 9, "resources": 3, "rest": 12, "res": 5})
    assert c.complete("res") == ("research", "rest", "researchers")[:MAX_COMPLETIONS]
    assert c.complete("resea") == ("research", "researchers")


def test_short_prefixes_function_words_and_non_letters_are_not_completed() -> None:
    c = Completer({"whatever": 7, "what": 90, "agent": 30}, skip={"what"})
    assert c.complete("ag") == ()  # two letters could be anything
    assert c.complete("wha") == ("whatever",)  # never a function word
    assert c.complete("ag3n") == ()
    assert c.complete("智能体") == ()
    assert c.complete("zzz") == ()
