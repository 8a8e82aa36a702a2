"""The Celery app and its beat schedule.

With no environment the broker is kombu's filesystem transport, so a real worker and
beat run on a fresh machine with no server; CELERY_BROKER_URL switches to Redis.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings")

app = Celery("rehab")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Hand to the broker anything that could not be queued when it was down.
    "outbox-drain": {"task": "rehab.tasks.outbox_drain", "schedule": 60.0},
}
