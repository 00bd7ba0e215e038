"""Regular inflections: a real word the corpus lacks is told apart from a typo of one it has."""

from __future__ import annotations

from bot.search.inflection import inflections, is_inflected_form


def test_regular_forms_of_a_base_word() -> None:
    assert {"embeds", "embedded", "embedding"} <= inflections("embed")
    assert "embeding" not in inflections("embed")  # consonant-vowel-consonant doubles
    assert {"centralized", "centralizing"} <= inflections("centralize")
    assert {"tries", "tried", "trying"} <= inflections("try")
    assert {"watches", "watched", "watching"} <= inflections("watch")


def test_a_word_is_a_form_of_a_known_base_or_not() -> None:
    bases = {"centralize", "stop", "try", "learn", "brain"}
    for word in ("centralized", "stops", "stopping", "tries", "learning", "brain", "brains"):
        assert is_inflected_form(word, bases), word
    for typo in ("learing", "stoping", "brian", "centralizd", "b", ""):
        assert not is_inflected_form(typo, bases), typo
