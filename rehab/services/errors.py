"""Errors that services raise; the API and the pages translate them to responses."""


class ServiceError(Exception):
    """Base class."""


class NotAllowed(ServiceError):
    """The user can see the object but their role may not do this (HTTP 403)."""


class NoClinic(NotAllowed):
    """A staff account that belongs to no clinic (the admin could once save one): it may not act for
    any clinic, so whatever it would create has no clinic to belong to (HTTP 403, with this message)."""

    MESSAGE = "This staff account belongs to no clinic. Ask an administrator to assign your clinic."

    def __init__(self, message: str = MESSAGE):
        super().__init__(message)


class InvalidInput(ServiceError):
    """A business rule refused the input; carries a message per field (HTTP 400)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


class Conflict(ServiceError):
    """A stale write (optimistic concurrency) or a state that forbids the action (HTTP 409)."""
