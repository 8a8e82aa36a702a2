"""A clinical rule's text in the reader's language, when it has a translation of that very English.

The rules are data written in English (planner/data/rules_*.json, planner.progression_rules, a clinic's
own files), and a plan stores the texts it was made with (its rule_index), so the words a page shows
may be older than today's rule. Each shipped language keeps a table, locale/<code>/rules.json, that
maps a rule id to its translation beside the English it was made from: the translation is shown
only while the rule's English is still that text. A reworded rule, a plan that kept an older wording,
or a clinician's own adjustment (its own id and words) reads in its stored English until its entry
is translated again. Nothing here queries: the tables are read once per process.

A rule's source is a citation and stays as written, except the few sources that are generic words
rather than a reference (SOURCE_WORDS), which read in the reader's language.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

TABLE_NAME = "rules.json"

# Sources that are no citation, only words: a design default of ours, the clinician's own judgement.
# A citation (authors, journal, the clinical reference's section) is a name and is never translated.
SOURCE_WORDS = {
    "Design default": gettext_lazy("Design default"),
    "Design default (clinic-configurable)": gettext_lazy("Design default (clinic-configurable)"),
    "Clinician's assessment": gettext_lazy("Clinician's assessment"),
    "Clinician adjustment": gettext_lazy("Clinician adjustment"),
}


def table_path(language: str) -> Path:
    return Path(settings.BASE_DIR) / "locale" / language / TABLE_NAME


@lru_cache(maxsize=8)
def rule_table(language: str) -> dict[str, tuple[str, str]]:
    """{rule id: (the English translated, its translation)} for `language`; empty when it ships none."""
    path = table_path(language)
    if not path.exists():
        return {}
    rules = json.loads(path.read_text(encoding="utf-8"))["rules"]
    return {rule_id: (entry["en"], entry[language]) for rule_id, entry in rules.items()}


def _language(language: str | None) -> str:
    return language or translation.get_language() or settings.LANGUAGE_CODE


def rule_text(rule_id: str, english: str, language: str | None = None) -> str:
    """The rule's words in `language` (default: the active one) when its table translates exactly this
    `english`; else `english` itself (as the rule or the plan stored it)."""
    language = _language(language)
    if language == settings.LANGUAGE_CODE:
        return english
    found = rule_table(language).get(rule_id)
    if found is None or found[0] != english:
        return english
    return found[1]


def source_words(source: str) -> str:
    """A rule's source: generic words in the reader's language, a citation as written. A clinician's
    adjustment names its author after the words ("Clinician adjustment by Dr Ruiz"): the name stays."""
    if source in SOURCE_WORDS:
        return str(SOURCE_WORDS[source])
    clinician, by, author = source.partition(" by ")
    if by and clinician == "Clinician adjustment":
        return gettext("Clinician adjustment by %(author)s") % {"author": author}
    return source


def rule_words(rule: object) -> dict[str, str]:
    """A rule (a planner Rule or a stored {id, text, evidence, source}) as the reader reads it:
    {id, text, evidence, source} with the text and the source in their language."""
    if isinstance(rule, dict):
        rule_id, text = rule.get("id", ""), rule.get("text", "")
        evidence, source = rule.get("evidence", ""), rule.get("source", "")
    else:
        rule_id, text = getattr(rule, "id", ""), getattr(rule, "text", "")
        evidence, source = getattr(rule, "evidence", ""), getattr(rule, "source", "")
    return {"id": rule_id, "text": rule_text(rule_id, text), "evidence": evidence, "source": source_words(source)}
