"""The organisation's bank accounts: the debit accounts payment batches leave from.

Finance staff and organisation administrators list them, add one (the NRB checked,
typed with or without spaces) and stop offering one for new batches (an account is
never deleted: batches made keep theirs)."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organisation, Role
from accounts.permissions import organisation_ids_with, role_required
from workflows.errors import InvalidInput

from ..forms.accounts import BankAccountForm
from ..selectors.batches import bank_accounts_managed_by
from ..services.batches import bank_account_create, bank_account_set_active

MANAGERS = (Role.FINANCE, Role.ORG_ADMIN)


def _organisations(user):
    return Organisation.objects.filter(pk__in=organisation_ids_with(user, *MANAGERS))


@role_required(*MANAGERS)
def bank_accounts(request):
    organisations = _organisations(request.user)
    form = BankAccountForm(
        request.POST if request.method == "POST" else None,
        organisations=organisations,
        initial={"organisation": organisations.first()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            account = bank_account_create(actor=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            for field, errors in exc.field_errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("The account %(name)s was added.") % {"name": account})
            return HttpResponseRedirect(reverse("finance:bank_accounts"))
    accounts = bank_accounts_managed_by(user=request.user)
    status = 400 if form.errors else 200
    return render(
        request, "finance/accounts/list.html", {"accounts": accounts, "form": form}, status=status
    )


@require_POST
@role_required(*MANAGERS)
def bank_account_active(request, pk: int):
    account = bank_accounts_managed_by(user=request.user).filter(pk=pk).first()
    if account is None:
        raise Http404
    active = request.POST.get("active") == "1"
    bank_account_set_active(account=account, active=active, actor=request.user)
    if active:
        messages.success(
            request, _("%(account)s is offered for new batches.") % {"account": account}
        )
    else:
        messages.success(
            request, _("%(account)s is no longer offered for new batches.") % {"account": account}
        )
    return HttpResponseRedirect(reverse("finance:bank_accounts"))
