"""Role checks for the API. Visibility itself is the selectors' job (404 for the unseen).

Object-level on purpose: the object is looked up through a selector first, so a user who
may not see it gets 404, and only a user who may see it but not change it gets 403.
"""

from django.utils.translation import gettext_lazy
from rest_framework.permissions import SAFE_METHODS, BasePermission

from rehab.models import Role


class StaffWritesOnly(BasePermission):
    """Patients may read what the selectors show them; only staff may write."""

    message = gettext_lazy("Patients cannot change this; ask your physiotherapist.")

    def has_permission(self, request, view):
        # Collection writes (create) have no object to hide behind a 404.
        if getattr(view, "detail", False) or getattr(view, "patient_scoped", False):
            return True
        return request.method in SAFE_METHODS or request.user.role != Role.PATIENT

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or request.user.role != Role.PATIENT


class DocsAccess(BasePermission):
    """The OpenAPI schema and docs page: public when API_DOCS_PUBLIC (DEBUG), else signed-in staff."""

    message = gettext_lazy("The API documentation is for signed-in staff.")

    def has_permission(self, request, view):
        from django.conf import settings

        if settings.API_DOCS_PUBLIC:
            return True
        user = request.user
        return bool(user and user.is_authenticated and (user.role != Role.PATIENT or user.is_staff))
