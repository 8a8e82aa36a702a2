"""Cache-Control: no-store on every response Django makes, so no browser or proxy keeps health data.

Pages and API answers are made per user and may carry patient data; the sign-in and activation
pages carry one-time tokens. Static files (served by whitenoise before this middleware runs) and
/health/ keep their own caching. The patient's offline copies live in the service worker's Cache
Storage, which no-store does not affect.
"""

from django.utils.cache import add_never_cache_headers

EXEMPT_PREFIXES = ("/health/",)


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A view may mark an answer that holds no patient data as cacheable (an exercise's figure).
        if not request.path.startswith(EXEMPT_PREFIXES) and not getattr(response, "cacheable", False):
            # Replaces any weaker value a view set ("private, no-cache" and the like).
            if "Cache-Control" in response:
                del response["Cache-Control"]
            add_never_cache_headers(response)
        return response
