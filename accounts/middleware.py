"""Two-factor login for staff (logowanie dwuskładnikowe).

A user with a staff role (any role in an organisation, or Django's ``is_staff``) who has
no second factor yet (an authenticator app, TOTP, or a security key, WebAuthn) is led
to set one up: every page except sign-in, sign-out, the setup pages themselves and a few
public ones redirects to the TOTP setup page, and the session API answers 403. Residents
and suppliers may add a second factor on the same pages, and are never made to.
``settings.STAFF_MFA_REQUIRED`` turns the requirement off (the test suite does, except
for tests marked ``mfa``).
"""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from .permissions import organisation_ids_with

SET_UP_FIRST = _(
    "Your role requires two-factor login. Set up an authenticator app (or a security "
    "key) before you continue."
)
#: Addresses a staff user without a second factor may still open.
OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/konto/wypisz/", "/dostepnosc/")
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def is_staff_user(user) -> bool:
    return bool(user.is_staff or organisation_ids_with(user))


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


class StaffMfaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.STAFF_MFA_REQUIRED
            and user is not None
            and user.is_authenticated
            and not request.path_info.startswith(OPEN_PREFIXES)
            and is_staff_user(user)
            and not has_second_factor(user)
        ):
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": str(SET_UP_FIRST)}, status=403)
            messages.warning(request, SET_UP_FIRST)
            return redirect("mfa_activate_totp")
        return self.get_response(request)
