"""{% js_catalogue %}: the page's JavaScript translations, written into the page itself.

The patient pages work offline from the service worker's copy, so their scripts cannot fetch a catalogue
(Django's JavaScriptCatalog view) when they run: the page carries the djangojs catalogue of its own
language (locale/<code>/LC_MESSAGES/djangojs.po) as JSON, and frontend/static/frontend/i18n.js reads it
and defines gettext, ngettext and interpolate. Every shipped language has two plural forms (n != 1),
which i18n.js assumes (tests/rehab/test_catalogues.py checks it).
"""

from django import template
from django.conf import settings
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation.trans_real import DjangoTranslation
from django.views.i18n import JavaScriptCatalog

register = template.Library()


def js_translations(language: str) -> dict[str, str | list[str]]:
    """msgid -> translation (a list of forms for a plural) of the djangojs catalogue of `language`."""
    catalogue = JavaScriptCatalog()
    catalogue.translation = DjangoTranslation(
        language, domain="djangojs", localedirs=[str(path) for path in settings.LOCALE_PATHS]
    )
    return catalogue.get_catalog()


@register.simple_tag
def js_catalogue() -> SafeString:
    return json_script(js_translations(get_language() or settings.LANGUAGE_CODE), "js-catalogue")
