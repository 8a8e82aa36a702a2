"""The weekly decision's reasons and item changes in the reader's language.

The engine writes each sentence as a catalogue template with its values beside the English the audit
keeps: every sentence any decision can produce has a Spanish template, reads in Spanish with Spanish
numbers, and keeps exactly the English it had; a stored row without a template reads as stored.
"""

import json

from django.utils import translation
from django.utils.translation import trans_real
from hypothesis import HealthCheck, given, settings

from planner.progression.said import Joined, Said, Word, said_from_data, text_of
from tests.planner.test_progression_properties import run, scenarios

# Units the reasons print as symbols, the same in every shipped language.
SYMBOLS = {"kg", "s", "m", "U/L"}


def _parts(sentence: Said):
    """Every template and word inside a sentence (nested sentences and joined values included)."""
    yield "template", sentence.template, sentence.plural
    for _name, value in sentence.values:
        yield from _value_parts(value)


def _value_parts(value):
    if isinstance(value, Said):
        yield from _parts(value)
    elif isinstance(value, Word):
        yield "word", value.english, ""
    elif isinstance(value, Joined):
        for inner in value.values:
            yield from _value_parts(inner)


def _spanish_catalogue():
    return trans_real.translation("es")._catalog


def _untranslated(sentence: Said) -> list[str]:
    catalogue = _spanish_catalogue()
    missing = []
    for kind, english, plural in _parts(sentence):
        if kind == "word":
            if english not in SYMBOLS and english not in catalogue:
                missing.append(english)
            continue
        key = (english, 0) if plural else english
        if key not in catalogue:
            missing.append(english)
    return missing


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_every_sentence_a_decision_can_say_reads_in_spanish_and_keeps_its_english(scenario):
    for _context, _checkins, decision in run(*scenario):
        sentences = [(r.text, r.said) for r in decision.reasons] + [(i.text, i.said) for i in decision.items]
        for english, sentence in sentences:
            assert sentence is not None, english
            assert sentence.english() == english  # the audit's English is the sentence's own
            stored = json.loads(json.dumps({"text": english, "said": sentence.as_data()}))
            assert said_from_data(stored["said"]) == sentence  # what a row keeps gives the sentence back
            assert _untranslated(sentence) == [], english
            with translation.override("es"):
                spanish = text_of(stored)
            assert spanish != english, english
            with translation.override("en"):
                assert text_of(stored) == english


def test_a_sentence_reads_its_numbers_and_words_in_spanish():
    from planner.progression.outcome import counted
    from planner.progression.said import Fixed, said

    sentence = said(
        "Mean pain %(mean)s/10 against %(previous)s/10 the previous week: a rise of %(rise)s.",
        mean=Fixed(4.25, 1),
        previous=Fixed(2.0, 1),
        rise=Fixed(2.25, 1),
    )
    assert sentence.english() == "Mean pain 4.2/10 against 2.0/10 the previous week: a rise of 2.2."
    with translation.override("es"):
        assert sentence.text() == "Dolor medio de 4,2/10 frente a 2,0/10 la semana anterior: una subida de 2,2."
        assert counted("session", 1).text() == "1 sesión"
        assert counted("session", 3).text() == "3 sesiones"
        change = said("%(variable)s %(old)s -> %(new)s", variable=Word("repetitions per set"), old=12, new=10.5)
        assert change.text() == "repeticiones por serie 12 -> 10,5"


def test_a_row_stored_before_the_templates_reads_its_english():
    with translation.override("es"):
        assert text_of({"text": "An amber week: the dose is held."}) == "An amber week: the dose is held."
        assert text_of({"text": "Held.", "said": None}) == "Held."
        assert text_of({"text": "Held.", "said": {"t": "Held."}}) == "Se mantiene."


def test_a_template_whose_values_do_not_fit_reads_the_stored_english():
    broken = {"text": "Regress: sets 2 -> 1.", "said": {"t": "Regress: %(change)s.", "v": {}}}
    with translation.override("es"):
        assert text_of(broken) == "Regress: sets 2 -> 1."
