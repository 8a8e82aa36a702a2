"""The health endpoint for load balancers and monitors (built on django-health-check).

`GET /health/` answers 200 `{"status": "ok"}` when the database, the cache and the broker
answer and the outbox has no message waiting longer than HEALTH_OUTBOX_MAX_AGE seconds; 503
`{"status": "unavailable"}` otherwise. Anyone may ask (a load balancer has no login); only
signed-in staff see which check failed and the age of the oldest unsent outbox message.
"""

import asyncio
import dataclasses
import datetime

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from rehab.celery import app as celery_app
from rehab.models import CheckIn, OutboxMessage, Role


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection (Redis, or the filesystem transport's folders)."""

    timeout = datetime.timedelta(seconds=3)

    def run(self):
        try:
            with celery_app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, interval_start=0.2, timeout=self.timeout.total_seconds())
        except Exception as error:
            raise ServiceUnavailable(f"Broker unreachable ({type(error).__name__})") from error


@dataclasses.dataclass
class Outbox(HealthCheck):
    """No queued work has waited too long: a stale outbox means the broker or beat is down."""

    def run(self):
        age = oldest_unsent_age()
        if age is not None and age > settings.HEALTH_OUTBOX_MAX_AGE:
            raise ServiceUnavailable(f"Oldest unsent outbox message is {age:.0f} s old")


def oldest_unsent_age() -> float | None:
    oldest = (
        OutboxMessage.objects.filter(sent_at__isnull=True)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return None if oldest is None else (timezone.now() - oldest).total_seconds()


def follow_up_lags() -> dict:
    """Red-flag follow-ups: the oldest still open, and the slowest done in the last hour (seconds).

    Not a failing check (the site stays up for patients); above FOLLOW_UP_LAG_ALERT_SECONDS the
    follow-up and the urgent sweep log an ERROR "Follow-up lag" line, which is what pages someone.
    """
    now = timezone.now()
    oldest = (
        CheckIn.objects.filter(follow_up_due_at__isnull=False, followed_up_at__isnull=True)
        .order_by("follow_up_due_at")
        .values_list("follow_up_due_at", flat=True)
        .first()
    )
    done = CheckIn.objects.filter(
        followed_up_at__gte=now - datetime.timedelta(hours=1), follow_up_due_at__isnull=False
    ).values_list("follow_up_due_at", "followed_up_at")
    slowest = max(((finished - due).total_seconds() for due, finished in done), default=None)
    return {
        "follow_up_open_oldest_seconds": None if oldest is None else round((now - oldest).total_seconds(), 1),
        "follow_up_slowest_last_hour_seconds": None if slowest is None else round(slowest, 1),
        "follow_up_lag_alert_seconds": settings.FOLLOW_UP_LAG_ALERT_SECONDS,
    }


class HealthView(HealthCheckView):
    checks = (Database, Cache, Broker, Outbox)

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            self.results = await asyncio.gather(*(check.get_result(executor) for check in self.get_checks()))
        healthy = not any(result.error for result in self.results)
        body = {"status": "ok" if healthy else "unavailable"}
        user = await request.auser()
        if user.is_authenticated and (user.is_staff or user.role != Role.PATIENT):
            body["checks"] = {
                type(result.check).__name__: {
                    "ok": result.error is None,
                    "error": str(result.error) if result.error else None,
                    "seconds": round(result.time_taken, 3),
                }
                for result in self.results
            }
            age = await asyncio.to_thread(oldest_unsent_age)
            body["outbox_oldest_unsent_seconds"] = None if age is None else round(age, 1)
            body.update(await asyncio.to_thread(follow_up_lags))
        return JsonResponse(body, status=200 if healthy else 503)
