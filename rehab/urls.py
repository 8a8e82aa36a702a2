from django.contrib import admin
from django.urls import include, path

from rehab.api.docs import DocsView, SchemaView
from rehab.health import HealthView

urlpatterns = [
    path("admin/", admin.site.urls),
    # For load balancers and monitors: 200 or 503; details for signed-in staff (rehab/health.py).
    path("health/", HealthView.as_view(), name="health"),
    path("api/v1/", include("rehab.api.urls")),
    # Public under DEBUG; signed-in staff only in production (API_DOCS_PUBLIC).
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/docs/", DocsView.as_view(url_name="schema"), name="api-docs"),
    path("", include("frontend.urls")),
]

# An unknown address under /api/ answers JSON like the rest of the API.
handler404 = "rehab.api.errors.not_found"
