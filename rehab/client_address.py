"""The client's address, as the sign-in lock-out and the read audit record it.

Behind TRUSTED_PROXY_COUNT proxies (each appending the address it received the request from to
X-Forwarded-For), the client is the entry that many places from the right; anything further left was
written by the client itself and cannot be trusted. With no trusted proxy, the connection's own address.
"""

from ipaddress import ip_address

from django.conf import settings


def client_address(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if not proxies:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(chain) < proxies:
        return remote  # not through the expected proxies: only the connection is known
    candidate = chain[-proxies]
    try:
        return str(ip_address(candidate))
    except ValueError:
        return remote
