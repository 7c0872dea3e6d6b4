"""The finance start page: where each finance task lives."""

from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required

#: Pages of finance are for the finance role (and organisation administrators).
finance_user_required = role_required(Role.FINANCE, Role.ORG_ADMIN)


@finance_user_required
def home(request):
    return render(request, "finance/home.html")
