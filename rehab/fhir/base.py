"""Identity in a bundle: ids, fullUrls, references and local codings.

Every resource has a readable id built from the row it comes from ("plan-12", "checkin-40-pain-after")
and a fullUrl `urn:uuid:<uuid5>` derived from the canonical base, the type and the id: the same row
exported twice gets the same fullUrl, and two installations (two bases) never collide. References
inside the bundle are those fullUrls, so each resolves to exactly one entry.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from rehab.fhir import codes

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9\-.]")


def fhir_id(*parts) -> str:
    """A FHIR id ([A-Za-z0-9-.]{1,64}) from readable parts."""
    return _ID_UNSAFE.sub("-", "-".join(str(part) for part in parts))[:64]


@dataclass(frozen=True)
class Canon:
    """The canonical base of this installation (settings.FHIR_CANONICAL_BASE, ending in "/")."""

    base: str

    def code_system(self, name: str) -> str:
        if name not in codes.LOCAL_CODE_SYSTEMS:
            raise KeyError(f"no local CodeSystem {name!r}")
        return f"{self.base}CodeSystem/{name}"

    def local(self, system: str, code: str, display: str | None = None) -> dict:
        return codes.coding(self.code_system(system), code, display)

    def local_systems(self) -> frozenset[str]:
        return frozenset(self.code_system(name) for name in codes.LOCAL_CODE_SYSTEMS)

    @property
    def checkin_questionnaire(self) -> str:
        return f"{self.base}Questionnaire/check-in"

    def identifier(self, name: str, value) -> dict:
        return {"system": f"{self.base}sid/{name}", "value": str(value)}

    def full_url(self, resource_type: str, resource_id: str) -> str:
        namespace = uuid.uuid5(uuid.NAMESPACE_URL, self.base)
        return f"urn:uuid:{uuid.uuid5(namespace, f'{resource_type}/{resource_id}')}"

    def ref(self, resource_type: str, resource_id: str, display: str | None = None) -> dict:
        found = {"reference": self.full_url(resource_type, resource_id), "type": resource_type}
        if display:
            found["display"] = display
        return found


def instant(value: datetime | None) -> str | None:
    """An aware datetime as FHIR dateTime/instant text (seconds, with the zone)."""
    return value.isoformat(timespec="seconds") if value is not None else None


def day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def concept(*codings: dict, text: str | None = None) -> dict:
    found = {}
    if codings:
        found["coding"] = list(codings)
    if text:
        found["text"] = text
    return found


def quantity(value, unit: str, code: str | None = None) -> dict:
    """A UCUM quantity; `unit` is what people read, `code` the UCUM code (the same by default)."""
    number = float(value)
    return {
        "value": int(number) if number.is_integer() else round(number, 2),
        "unit": unit,
        "system": codes.UCUM,
        "code": code or unit,
    }


def narrative(text: str) -> dict:
    """A generated narrative holding `text`, escaped."""
    from html import escape

    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{escape(text)}</p></div>'}
