"""API token housekeeping: each expired token is refused and deleted when presented
(rehab.api.token_auth); the ones never presented again are deleted here, daily (rehab.tasks)."""

from django.utils import timezone
from knox.models import AuthToken


def expired_tokens_purge() -> int:
    """Delete every expired API token (no patient data in them); returns how many."""
    deleted, _ = AuthToken.objects.filter(expiry__lt=timezone.now()).delete()
    return deleted
