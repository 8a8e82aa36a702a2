"""Every word a page shows is inside {% translate %} or {% blocktranslate %}, in every template.

A scan of the template sources under frontend/templates: translation blocks, variables, tags, comments
and markup are taken out; what is left must hold no letters (numbers and symbols such as "✓", "–", "·",
"×" or "!" need no translation and pass). Attributes people read (aria-label, alt, title, placeholder)
must be a variable or a translate tag too.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "frontend" / "templates"
TEMPLATES = sorted(ROOT.rglob("*.html"))

BLOCK = re.compile(r"{%\s*blocktranslate\b.*?{%\s*endblocktranslate\s*%}", re.S)
TAG = re.compile(r"{%.*?%}", re.S)
VARIABLE = re.compile(r"{{.*?}}", re.S)
COMMENT = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S)
READ_ATTRIBUTE = re.compile(r'\b(aria-label|alt|title|placeholder)="([^"]*)"')
MARKUP = re.compile(r"<[^>]*>", re.S)
# Unit symbols read the same in every shipped language (English, Spanish): allowed next to numbers.
# Words for units ("points", "stands", "reps") are text and need translating.
UNIT_SYMBOLS = re.compile(r"(?<![A-Za-z])(kg|min|s|m|bpm|U/L)(?![A-Za-z])")


def name_of(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def untranslated_text(source: str) -> list[str]:
    source = COMMENT.sub(" ", source)
    source = BLOCK.sub(" ", source)
    problems = [
        value
        for _name, value in READ_ATTRIBUTE.findall(source)
        if re.search(r"[A-Za-z]", TAG.sub("", VARIABLE.sub("", value)))
    ]
    source = SCRIPT.sub(" ", source)
    source = TAG.sub(" ", source)
    source = VARIABLE.sub(" ", source)
    source = MARKUP.sub(" ", source)
    problems += [
        chunk.strip() for chunk in re.split(r"\s{2,}|\n", source) if re.search(r"[A-Za-z]", UNIT_SYMBOLS.sub("", chunk))
    ]
    return problems


@pytest.mark.parametrize("path", TEMPLATES, ids=name_of)
def test_a_template_has_no_words_outside_translation_tags(path):
    assert untranslated_text(path.read_text(encoding="utf-8")) == []


def test_the_scan_finds_a_word_left_out():
    assert untranslated_text('<p>{% translate "Hello" %} there</p>') == ["there"]
    assert untranslated_text('<a aria-label="Your pages">{{ x }}</a>') == ["Your pages"]
    assert untranslated_text("{% blocktranslate %}Hi {{ x }}{% endblocktranslate %}<b>{{ y }}</b> ✓") == []
    assert untranslated_text("<td>{{ n }} × 12 – 3 · 4 kg, {{ m }} min</td>") == []
    assert untranslated_text("<td>4 kilos</td>") == ["4 kilos"]
