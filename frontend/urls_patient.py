"""Pages for patients (mobile first, offline capable)."""

urlpatterns = []
