"""Pages for physiotherapists and clinicians."""

urlpatterns = []
