"""The finance start page: where each finance task lives."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path

from accounts.models import Role


def finance_user_required(view):
    """Pages of finance are for the finance role (and organisation administrators)."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.organisation_ids(Role.FINANCE, Role.ORG_ADMIN):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@finance_user_required
def home(request):
    return render(request, "finance/home.html")


urlpatterns = [path("", home, name="home")]
