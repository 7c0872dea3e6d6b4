from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..selectors import memberships_of, pending_actions


@login_required
def home(request):
    """The signed-in user's desk: their roles and what waits for them."""
    return render(
        request,
        "home.html",
        {
            "memberships": memberships_of(user=request.user),
            "pending": pending_actions(user=request.user),
        },
    )
