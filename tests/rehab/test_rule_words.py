"""The rule texts in the reader's language: every shipped rule has its Spanish beside the English it
translates, a reader in Spanish gets it, and a rule whose English is not that text keeps its English."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from planner.progression_rules import default_progression_config
from planner.reassessment import SWAP_RULE
from planner.template_refit import TEMPLATE_RULE
from rehab import rule_words
from rehab.rule_words import rule_table, rule_text, source_words

DATA = Path(settings.BASE_DIR) / "planner" / "data"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def _rules_in(value, found: dict[str, str]) -> dict[str, str]:
    if isinstance(value, dict):
        if {"id", "text", "evidence"} <= set(value):
            found[value["id"]] = value["text"]
        for inner in value.values():
            _rules_in(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _rules_in(inner, found)
    return found


def shipped_rules() -> dict[str, str]:
    """{id: English} of every rule the product ships: the rule data files, the progression rules and
    the template and reassessment-swap rules."""
    found: dict[str, str] = {}
    for path in sorted(DATA.glob("*.json")):
        _rules_in(json.loads(path.read_text(encoding="utf-8")), found)
    found.update({rule.id: rule.text for rule in default_progression_config().all_rules()})
    found[TEMPLATE_RULE.id] = TEMPLATE_RULE.text
    found[SWAP_RULE.id] = SWAP_RULE.text
    return found


def test_the_shipped_rules_are_the_rules_the_engine_cites():
    """The walk over the files finds the rulebook's rules (a rule file the walk missed would go untranslated)."""
    from planner.rules import load_rulebook

    assert {rule.id for rule in load_rulebook().all_rules()} <= set(shipped_rules())
    assert len(shipped_rules()) > 180


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_shipped_rule_has_a_translation_of_its_current_english(language):
    rules, table = shipped_rules(), rule_table(language)
    assert sorted(set(rules) - set(table)) == []  # a rule without a translation
    assert sorted(set(table) - set(rules)) == []  # a translation of a rule that is gone
    stale = [rule_id for rule_id, english in rules.items() if table[rule_id][0] != english]
    assert stale == []  # reworded since it was translated: translate it again
    assert [rule_id for rule_id, (english, said) in table.items() if not said.strip() or said == english] == []


def test_a_reader_in_spanish_reads_the_spanish_and_an_english_reader_the_english():
    english = shipped_rules()["inflammation.active_light_aerobic"]
    with translation.override("es"):
        assert rule_text("inflammation.active_light_aerobic", english) == (
            "Con inflamación moderada o alta, el trabajo aeróbico se queda en ligero: como máximo 39 %HRR, RPE 11."
        )
    with translation.override("en"):
        assert rule_text("inflammation.active_light_aerobic", english) == english
    assert rule_text("inflammation.active_light_aerobic", english, language="es").startswith("Con inflamación")


def test_a_text_the_translation_was_not_made_from_stays_as_stored():
    """A plan keeps the rule texts it was made with: an older wording, or a clinician's adjustment
    under its own id, must not show a translation of other words."""
    older = "With moderate or high inflammation, aerobic work stays light: at most 40 %HRR."
    with translation.override("es"):
        assert rule_text("inflammation.active_light_aerobic", older) == older
        assert rule_text("clinician.aerobic.max_rpe", "A clinician set aerobic.max_rpe to 11.") == (
            "A clinician set aerobic.max_rpe to 11."
        )


def test_a_language_without_a_table_reads_the_english(monkeypatch):
    monkeypatch.setattr(rule_words, "table_path", lambda language: Path("/nonexistent") / language / "rules.json")
    rule_table.cache_clear()
    try:
        assert rule_text("tier.standard", "Adults ...", language="es") == "Adults ..."
    finally:
        rule_table.cache_clear()


def test_generic_sources_read_in_spanish_and_citations_stay_as_written():
    citation = "Giangregorio et al. 2014, Osteoporos Int 25:821-35 (spine sparing)"
    with translation.override("es"):
        assert source_words("Design default") == "Valor por defecto del diseño"
        assert source_words("Clinician's assessment") == "Valoración del clínico"
        assert source_words("Clinician adjustment by Ana Ruiz") == "Ajuste del clínico por Ana Ruiz"
        assert source_words(citation) == citation
    assert source_words("Design default") == "Design default"
