"""The shipped translation catalogues: complete, compiled, and in step with the planner's wording."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from planner.vocabulary import RED_FLAGS
from rehab.patient_words import ADVICE_WORDS, RED_FLAG_WORDS

LOCALE = Path(settings.LOCALE_PATHS[0])
# English is the source language: its texts are the msgids, so it ships no catalogue of its own.
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def test_every_language_but_the_source_ships_a_catalogue():
    assert {po.parts[-3] for po in CATALOGUES} == set(TRANSLATED)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_a_shipped_catalogue_has_no_untranslated_fuzzy_or_obsolete_entry(path):
    catalogue = polib.pofile(str(path))
    assert not catalogue.metadata_is_fuzzy, "the header is fuzzy: msgfmt would drop the plural rule"
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    assert [e.msgid for e in catalogue.obsolete_entries()] == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_each_translation_keeps_the_placeholders_of_its_original(path):
    for entry in polib.pofile(str(path)).translated_entries():
        wanted = set(PLACEHOLDER.findall(entry.msgid + entry.msgid_plural))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert set(PLACEHOLDER.findall(text)) == wanted, entry.msgid


def said(entries) -> dict:
    """Each translated entry's translation, keyed by everything that tells it apart: its context, its
    text and its plural. One English text in two contexts ("May" the month, "may" the verb) is two entries."""
    return {
        (e.msgctxt or None, e.msgid, e.msgid_plural): (e.msgstr, e.msgstr_plural)
        for e in entries
        if e.msgid and (e.msgstr or e.msgstr_plural)
    }


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_the_committed_mo_says_what_its_po_says(path):
    """The app reads the .mo: a .po edited without `manage.py compile_catalogues` fails here."""
    mo_path = path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} missing: run manage.py compile_catalogues"
    assert said(polib.mofile(str(mo_path))) == said(polib.pofile(str(path)).translated_entries())


def test_a_mo_that_swaps_the_translations_of_two_contexts_is_told_apart(tmp_path):
    """The comparison above can fail on context alone: one text, two contexts, translations swapped."""

    def catalogue(first: str, second: str) -> polib.POFile:
        po = polib.POFile()
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
        po.append(polib.POEntry(msgctxt="month name", msgid="May", msgstr=first))
        po.append(polib.POEntry(msgctxt="permission", msgid="May", msgstr=second))
        return po

    catalogue("mayo", "puede").save(str(tmp_path / "django.po"))
    catalogue("puede", "mayo").save_as_mofile(str(tmp_path / "django.mo"))
    source = said(polib.pofile(str(tmp_path / "django.po")).translated_entries())
    assert len(source) == 2
    assert said(polib.mofile(str(tmp_path / "django.mo"))) != source
    catalogue("mayo", "puede").save_as_mofile(str(tmp_path / "django.mo"))
    assert said(polib.mofile(str(tmp_path / "django.mo"))) == source


def test_every_red_flag_the_planner_names_is_marked_for_translation():
    """planner/ cannot import Django: rehab/patient_words.py repeats its texts; they must not drift."""
    assert [(label, advice) for _code, label, advice in RED_FLAGS] == [tuple(pair) for pair in RED_FLAG_WORDS]


def test_the_spanish_red_flag_advice_is_complete(settings):
    from django.utils import translation

    with translation.override("es"):
        for text in [text for pair in RED_FLAG_WORDS for text in pair] + list(ADVICE_WORDS):
            assert translation.gettext(text) != text, text


def test_the_planners_data_words_and_the_marked_lists_cannot_drift():
    """Rule data (JSON) and vocabularies are marked in rehab/patient_words.py; a reworded entry
    there and not here would show in English."""
    from planner.effort import load_effort_scales
    from planner.growth import default_growth_rules
    from planner.vocabulary import PAIN_SITES
    from rehab.patient_words import CR10_WORDS, LADDER_LEVEL_WORDS, PAIN_SITE_WORDS

    scales = load_effort_scales()
    assert tuple(scales.cr10_words[value] for value in sorted(scales.cr10_words)) == CR10_WORDS
    rules = default_growth_rules()
    assert {unit: tuple(rules.ladder(unit).levels) for unit in LADDER_LEVEL_WORDS} == LADDER_LEVEL_WORDS
    assert tuple(site.label for site in PAIN_SITES) == PAIN_SITE_WORDS


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_every_shipped_catalogue_has_the_two_plural_forms_the_scripts_assume(path):
    """frontend/static/frontend/i18n.js picks a plural as n == 1 ? 0 : 1; a language with other
    plural rules needs i18n.js to learn them first."""
    assert polib.pofile(str(path)).metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


def test_the_planners_wording_follows_the_active_language():
    """planner/ has no Django: its words go through planner.translation, which rehab.apps installs."""
    from datetime import date

    from django.utils import translation

    from planner.documents.wording import date_words, days_a_week

    assert date_words(date(2026, 11, 4)) == "Wed 4 Nov"
    with translation.override("es"):
        assert date_words(date(2026, 11, 4)) == "mié 4 nov"
        assert days_a_week(3) == "3 días a la semana"


def test_the_planners_numbers_are_written_as_the_active_language_writes_them():
    from django.utils import translation

    from planner.documents.booklet import _range
    from planner.translation import number

    assert number(2.5) == "2.5"
    assert _range([1.5, 2.5]) == "1.5-2.5"
    with translation.override("es"):
        assert number(2.5) == "2,5"
        assert number(0.25, 1) == "0,2"
        assert number(12) == "12"
        assert _range([1.5, 2.5]) == "1,5-2,5"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_no_entry_comes_from_outside_the_products_sources(path):
    """Only the product's own files feed the catalogue: not the tests' sample text, not var/ (where the
    PDF bench installs another program with its own Django), not a virtualenv."""
    foreign = [
        e.msgid
        for e in polib.pofile(str(path))
        if any(f.startswith(("tests/", "var/", ".venv/")) for f, _ in e.occurrences)
    ]
    assert foreign == []


def test_makemessages_leaves_out_the_tests_and_the_running_apps_files():
    from rehab.management.commands.makemessages import NOT_THE_PRODUCT

    assert {"tests/*", "var/*"} <= set(NOT_THE_PRODUCT)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_no_entry_is_taken_from_the_tests(path):
    """A test's sample text is not the product's wording (makemessages leaves tests/ out)."""
    from_tests = [e.msgid for e in polib.pofile(str(path)) if any(f.startswith("tests/") for f, _ in e.occurrences)]
    assert from_tests == []
