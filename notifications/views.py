from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from .messages import settle
from .models import Notification
from .services import notification_mark_read, preferences_update


class PreferencesForm(forms.Form):
    wants_optional_messages = forms.BooleanField(
        label=gettext_lazy("Send me also messages that are not required (status updates)"),
        required=False,
        help_text=gettext_lazy("Deadlines and decisions are always sent."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request):
    notifications = Notification.objects.filter(recipient=request.user).order_by("-created_at")
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    settle([n.params for n in page.object_list if n.params])
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={"wants_optional_messages": request.user.wants_optional_messages},
    )
    if request.method == "POST" and form.is_valid():
        preferences_update(
            user=request.user,
            wants_optional_messages=form.cleaned_data["wants_optional_messages"],
        )
        messages.success(request, _("Your preferences are saved."))
        return redirect("notifications:inbox")
    return render(request, "notifications/inbox.html", {"page": page, "form": form})


@login_required
@require_POST
def mark_read(request):
    ids = request.POST.getlist("id")
    notification_mark_read(user=request.user, notification_ids=[int(i) for i in ids] or None)
    return redirect("notifications:inbox")
