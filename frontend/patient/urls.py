"""Pages for patients (mobile first, offline capable)."""

from django.urls import path

from frontend.patient import follow as views_follow
from frontend.patient import reminders as views_reminders
from frontend.patient import views

urlpatterns = [
    path("today/", views.today, name="today"),
    path("today/follow/", views_follow.follow, name="follow"),
    path("today/log/", views.log, name="log"),
    path("today/logged/<int:checkin_id>/", views.logged, name="logged"),
    path("today/next-morning/", views.next_morning, name="next_morning"),
    path("today/saved/", views.saved_offline, name="saved_offline"),
    path("something-wrong/", views.something_wrong, name="something_wrong"),
    path("something-wrong/<int:checkin_id>/", views.something_wrong_done, name="something_wrong_done"),
    path("history/", views.history, name="history"),
    path("reminders/", views_reminders.reminders, name="reminders"),
    path("offline/", views.offline, name="offline"),
    # The service worker must be served from the root for its scope to cover the app.
    path("sw.js", views.service_worker, name="service_worker"),
]
