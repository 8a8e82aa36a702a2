"""The Celery app and its beat schedule.

With no environment the broker is kombu's filesystem transport, so a real worker and
beat run on a fresh machine with no server; CELERY_BROKER_URL switches to Redis.
"""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings")

app = Celery("rehab")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Hand to the broker anything that could not be queued when it was down.
    "outbox-drain": {"task": "rehab.tasks.outbox_drain", "schedule": 60.0},
    # Queue again any red-flag/red-pain follow-up still not done minutes after it was due (a
    # worker killed mid-task); routed to the "urgent" queue like the follow-ups themselves.
    "follow-up-sweep": {"task": "rehab.tasks.follow_up_sweep", "schedule": 60.0},
    # Decide the progression of every plan week that has ended (hourly: cheap when nothing is
    # due, and a plan whose task was lost is simply found again).
    "progression-sweep": {"task": "rehab.tasks.progression_sweep", "schedule": crontab(minute=5)},
    # Patients choose the time of their reminder in their own zone: look every 5 minutes for whose
    # time has come (a reminder is claimed per patient, day and kind, so looking again sends nothing).
    "daily-reminders": {"task": "rehab.tasks.send_daily_reminders", "schedule": crontab(minute="*/5")},
    # Expired API tokens are refused at once; this deletes them (rehab.api.token_auth).
    "purge-expired-tokens": {"task": "rehab.tasks.purge_expired_tokens", "schedule": crontab(hour=3, minute=17)},
}


@worker_process_init.connect
def _tune_garbage_collector(**_kwargs) -> None:
    """Each pool process, once forked with the app loaded: its collector leaves that alone and walks the
    oldest generation less often (rehab/process_tuning.py; the sweep's engine memos live in it)."""
    from rehab.process_tuning import tune_garbage_collector

    tune_garbage_collector()
