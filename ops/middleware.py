"""Response headers that Django and django-csp do not set themselves.

- ``Permissions-Policy``: the product uses no camera, microphone, location, payment,
  USB or other powerful browser feature, so every page denies them all.
- ``Cache-Control: no-store`` on every response to a signed-in user (pages, API,
  document downloads): what one user saw is not kept by the browser or a proxy for the
  next person at the same computer.
"""

from django.utils.cache import add_never_cache_headers

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        already = "no-store" in response.get("Cache-Control", "")
        if not already and user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
