"""Errors that services raise; the API and the pages translate them to responses.

A message is written in the active language when it is raised: the requester's (a page's staff member
or patient, an API caller's own choice, else their Accept-Language; see rehab.i18n)."""

from django.utils.translation import gettext, gettext_noop


class ServiceError(Exception):
    """Base class."""


class NotAllowed(ServiceError):
    """The user can see the object but their role may not do this (HTTP 403)."""


class NoClinic(NotAllowed):
    """A staff account that belongs to no clinic (the admin could once save one): it may not act for
    any clinic, so whatever it would create has no clinic to belong to (HTTP 403, with this message)."""

    MESSAGE = gettext_noop("This staff account belongs to no clinic. Ask an administrator to assign your clinic.")

    def __init__(self, message: str | None = None):
        super().__init__(message or gettext(self.MESSAGE))


class InvalidInput(ServiceError):
    """A business rule refused the input; carries a message per field (HTTP 400)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


class Conflict(ServiceError):
    """A stale write (optimistic concurrency) or a state that forbids the action (HTTP 409)."""
