"""The OpenAPI schema and its docs page; signed-in staff only unless API_DOCS_PUBLIC (rehab.api.permissions.DocsAccess).

The docs page is drf-spectacular's split view: its start-up script is a separate file, so the
page runs under our Content-Security-Policy with no inline script.
"""

from django.contrib.auth.views import redirect_to_login
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions


class SchemaView(SpectacularAPIView):
    pass


class DocsView(SpectacularSwaggerSplitView):
    template_name = "frontend/api_docs.html"

    def handle_exception(self, exc):
        # A person opening the page is sent to sign in, then back here.
        if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)
