"""How allauth signs people in here: failed sign-ins are limited per client and account
together, and the owner of an account that sees repeated failures is told.

allauth's own limit on failed sign-ins is keyed by the e-mail alone, so five wrong
passwords typed by anyone lock the owner out. Here the ``login_failed`` limit's key is
the client's address with the e-mail (a guesser is stopped, the owner elsewhere is
not), plus a looser limit on the account alone (``ACCOUNT_LOGIN_FAILED_PER_ACCOUNT``)
against guessing from many addresses. Counts live in the shared cache.
"""

import hashlib

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from allauth.core.internal.ratelimit import RateLimitUsage, get_ip
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.recipients import Recipient
from notifications.services import notify

from .models import User

LOGIN_FAILED_SUBJECT = _("Failed sign-ins to your account")
LOGIN_FAILED_BODY = _(
    "Someone tried to sign in to your account %(email)s with a wrong password "
    "%(count)d times (the last from the address %(ip)s, at %(time)s). If it was you, "
    "nothing needs to be done. If not, your password is still safe; you may change it "
    "to be sure. Sign-ins from your own device are not blocked by these attempts."
)


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request, **credentials) -> None:
        account = self._get_login_attempts_cache_key(request, **credentials)
        per_client = ratelimit.consume(
            request,
            app="allauth.account",
            action="login_failed",
            key=f"{get_ip(request)}|{account}",
        )
        per_account = per_client and ratelimit.consume(
            request,
            app="allauth.account",
            action="login_failed",
            config={"login_failed": settings.ACCOUNT_LOGIN_FAILED_PER_ACCOUNT},
            key=account,
        )
        if not per_client or not per_account:
            if per_client:
                per_client.rollback()
            raise self.validation_error("too_many_login_attempts")
        # Rolled back when the password is right (allauth's authenticate does it).
        self._login_failed_rl_usage = RateLimitUsage(usage=per_client.usage + per_account.usage)

    def _delete_login_attempts_cached_email(self, request, **credentials) -> None:
        """After a password reset, the account's own counts start again."""
        super()._delete_login_attempts_cached_email(request, **credentials)
        account = self._get_login_attempts_cache_key(request, **credentials)
        ratelimit.clear(
            request,
            app="allauth.account",
            action="login_failed",
            key=f"{get_ip(request)}|{account}",
        )
        ratelimit.clear(
            request,
            app="allauth.account",
            action="login_failed",
            config={"login_failed": settings.ACCOUNT_LOGIN_FAILED_PER_ACCOUNT},
            key=account,
        )

    def authentication_failed(self, request, **credentials) -> None:
        email = (credentials.get("email") or "").strip().lower()
        if email:
            login_failure_count(request, email)


def login_failure_count(request, email: str) -> int:
    """Count a failed sign-in to ``email``; tell the owner once the count reaches the
    notice threshold within its window (once per window)."""
    threshold, window = settings.ACCOUNT_LOGIN_FAILED_NOTICE
    key = "accounts:login-failed:" + hashlib.sha256(email.encode()).hexdigest()
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    if count == threshold:
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is not None:
            now = timezone.localtime()
            notify(
                recipients=[Recipient(email=user.email, user=user)],
                kind="accounts.login_failed",
                subject=LOGIN_FAILED_SUBJECT,
                body=LOGIN_FAILED_BODY,
                url=reverse("account_reset_password"),
                essential=True,
                about=user,
                dedupe_key=f"login-failed:{user.pk}:{now:%Y%m%d%H%M}",
                context={
                    "email": user.email,
                    "count": count,
                    "ip": get_ip(request),
                    "time": now.strftime("%d.%m.%Y %H:%M"),
                },
            )
    return count
