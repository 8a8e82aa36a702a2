"""Pages for patients (mobile first, offline capable)."""

from django.urls import path

from frontend.patient import follow, history, offline, reminders, session_log, something_wrong, today

urlpatterns = [
    path("today/", today.today, name="today"),
    path("today/follow/", follow.follow, name="follow"),
    path("today/log/", session_log.log, name="log"),
    path("today/logged/<int:checkin_id>/", session_log.logged, name="logged"),
    path("today/next-morning/", today.next_morning, name="next_morning"),
    path("today/saved/", offline.saved_offline, name="saved_offline"),
    path("something-wrong/", something_wrong.something_wrong, name="something_wrong"),
    path("something-wrong/<int:checkin_id>/", something_wrong.something_wrong_done, name="something_wrong_done"),
    path("history/", history.history, name="history"),
    path("reminders/", reminders.reminders, name="reminders"),
    path("offline/", offline.offline, name="offline"),
    # The service worker must be served from the root for its scope to cover the app.
    path("sw.js", offline.service_worker, name="service_worker"),
]
