"""The Django admin's sign-in goes through allauth's adapter, so it shares the
product's limits on failed sign-ins (``accounts.adapter``, ``ACCOUNT_RATE_LIMITS``,
counted in the shared cache): without this, ``/admin/login/`` took any number of
wrong passwords and then the right one."""

from allauth.account.adapter import get_adapter
from django.contrib.admin.forms import AdminAuthenticationForm


class RateLimitedAdminAuthenticationForm(AdminAuthenticationForm):
    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is not None and password:
            self.user_cache = get_adapter(self.request).authenticate(
                self.request, email=email, password=password
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
