"""The number a patient calls for an ambulance, from the clinic's country.

The red-flag pages say "call an ambulance now" and offer a `tel:` button. The number is a clinic
setting (Clinic.emergency_number); left empty, it comes from the clinic's country, and when the
country is not set either, from the calling code of the clinic's own phone. Where nothing is known,
112: the GSM standard emergency number, which mobile networks route in most countries.

The table names the ambulance (or general emergency) number of each country, from the national
listings (EENA / ITU emergency-number lists). It is not a clinical figure; a clinic that knows better
sets its own number.
"""

import re

FALLBACK_NUMBER = "112"

# country (ISO 3166-1 alpha-2) -> (international calling code, emergency number for an ambulance)
COUNTRIES: dict[str, tuple[str, str]] = {
    "GB": ("44", "999"),
    "IE": ("353", "112"),
    "FR": ("33", "112"),
    "DE": ("49", "112"),
    "ES": ("34", "112"),
    "IT": ("39", "112"),
    "NL": ("31", "112"),
    "BE": ("32", "112"),
    "LU": ("352", "112"),
    "PT": ("351", "112"),
    "AT": ("43", "112"),
    "CH": ("41", "144"),
    "DK": ("45", "112"),
    "SE": ("46", "112"),
    "NO": ("47", "113"),
    "FI": ("358", "112"),
    "IS": ("354", "112"),
    "PL": ("48", "112"),
    "CZ": ("420", "112"),
    "GR": ("30", "112"),
    "TR": ("90", "112"),
    "US": ("1", "911"),
    "CA": ("1", "911"),
    "MX": ("52", "911"),
    "BR": ("55", "192"),
    "AR": ("54", "107"),
    "AU": ("61", "000"),
    "NZ": ("64", "111"),
    "JP": ("81", "119"),
    "KR": ("82", "119"),
    "CN": ("86", "120"),
    "HK": ("852", "999"),
    "SG": ("65", "995"),
    "IN": ("91", "112"),
    "IL": ("972", "101"),
    "ZA": ("27", "10177"),
}
# A calling code shared by several countries (+1) gives the number they share.
_BY_CALLING_CODE: dict[str, str] = {}
for _country, (_code, _number) in COUNTRIES.items():
    _BY_CALLING_CODE.setdefault(_code, _number)

COUNTRY_PATTERN = r"^[A-Z]{2}$"
# Emergency numbers are short: 2 to 6 digits (15, 112, 999, 10177).
EMERGENCY_NUMBER_PATTERN = r"^[0-9]{2,6}$"


def country_from_phone(phone: str) -> str | None:
    """The calling code of an international number ("+44 20 ..." -> "44"), if the table knows it."""
    digits = re.sub(r"[^\d+]", "", phone or "")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if not digits.startswith("+"):
        return None
    for length in (3, 2, 1):
        code = digits[1 : 1 + length]
        if code in _BY_CALLING_CODE:
            return code
    return None


def emergency_number_for(*, country: str = "", phone: str = "") -> str:
    """The default emergency number: the country's, else the phone's calling code's, else 112."""
    if country in COUNTRIES:
        return COUNTRIES[country][1]
    code = country_from_phone(phone)
    if code is not None:
        return _BY_CALLING_CODE[code]
    return FALLBACK_NUMBER
