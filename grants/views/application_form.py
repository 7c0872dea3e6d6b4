"""The application form (wniosek) as the applicant fills it in, phone first.

The form is one page in sections with an outline that shows which sections are complete
(by the call's rules, ``grants.rules``). Every post saves what was typed well enough,
field by field and row by row: a wrong number in one budget line never costs the title
typed above it. The errors are listed at the top with links to their fields. The
"check" endpoint answers the same rule messages for a draft as typed, without keeping
it, for the small script that shows the sums and the rules as the applicant types."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from attachments.forms import AttachmentForm
from attachments.selectors import attachment_for, attachments_of
from attachments.services import attachment_delete
from documents.formatting import format_amount
from workflows.engine import transition_apply
from workflows.errors import ConcurrentChange, DomainError, InvalidInput

from .. import forms, services
from ..models import ApplicantKind, Application, CostType
from ..rules import application_rule_errors, percent
from ..workflow import EDITABLE_STATES, ApplicationState
from .applications import _application

MAX_MEMBER_ROWS = 50
_INITIAL_KEYS = ("members", "activities", "indicators", "lines")

# Errors of the submission rules that name no field of the page, by where they are shown:
# a formset's own errors (above its rows), or the top of the form.
_FORMSET_OF_ERROR = {
    "members": "members",
    "budget_lines": "budget_lines",
    "requested_amount": "budget_lines",
    "own_contribution": "budget_lines",
    "own_money": "budget_lines",
}

# The outline's section of each list and of the rule errors that name no field.
_SECTION_OF_KEY = {
    "kind": "applicant",
    "members": "members",
    "activities": "activities",
    "indicators": "indicators",
    "budget_lines": "budget",
    "requested_amount": "budget",
    "own_contribution": "budget",
    "own_money": "budget",
}

# How the service reads each list back (the models' ordering), so that an error about
# its row i is shown at the form that row came from.
_SAVED_ORDER = {
    "members": lambda row: not row.cleaned_data.get("is_leader"),
    "activities": lambda row: row.cleaned_data.get("start_date"),
}


def _initial(application):
    return {
        "members": [
            {
                "full_name": m.full_name,
                "email": m.email,
                "is_leader": m.is_leader,
                "declares_adult_resident": m.declares_adult_resident,
                "consents_to_processing": m.consents_to_processing,
                "is_minor": m.is_minor,
                "guardian_name": m.guardian_name,
                "guardian_email": m.guardian_email,
            }
            for m in application.members.all()
        ],
        "activities": [
            {"name": a.name, "start_date": a.start_date, "end_date": a.end_date}
            for a in application.activities.all()
        ],
        "indicators": [
            {"name": i.name, "target": i.target, "unit": i.unit}
            for i in application.indicators.all()
        ],
        "lines": [
            {
                "category": line.category_id,
                "description": line.description,
                "unit": line.unit,
                "quantity": line.quantity,
                "unit_cost": line.unit_cost,
                "from_grant": line.from_grant,
                "own_money": line.own_money,
                "own_in_kind": line.own_in_kind,
                "cost_type": line.cost_type,
            }
            for line in application.budget_lines.all()
        ],
    }


def _member_rows_wanted(application, request) -> int:
    """Empty member rows to show: up to the call's minimum group size, or up to the
    number of rows the applicant asked for with "add a member"."""
    try:
        asked = int(request.GET.get("members", 0))
    except ValueError:
        asked = 0
    wanted = max(application.call.min_group_size, min(asked, MAX_MEMBER_ROWS))
    return max(wanted - len(application.members.all()), 0)


def _bind(request, application):
    """The main form and the formsets, bound to the post (or filled from the draft)."""
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and "add_member" in data:
        total = data.get("members-TOTAL_FORMS", "")
        if total.isdigit():  # broken management data is left for the formset to refuse
            data["members-TOTAL_FORMS"] = str(min(int(total) + 1, MAX_MEMBER_ROWS))
    # The saved rows fill the page; a post is read as sent, never compared with them (a
    # posted row equal to its saved one would otherwise count as empty and be dropped).
    initial = _initial(application) if data is None else dict.fromkeys(_INITIAL_KEYS)
    call = application.call
    form = forms.ApplicationForm(data, instance=application)
    formsets = {}
    if application.kind == ApplicantKind.INFORMAL_GROUP:
        extra = _member_rows_wanted(application, request) if data is None else 0
        formsets["members"] = forms.member_formset(rows=extra)(
            data, prefix="members", initial=initial["members"]
        )
    formsets["activities"] = forms.ActivityFormSet(
        data, prefix="activities", initial=initial["activities"]
    )
    formsets["indicators"] = forms.IndicatorFormSet(
        data, prefix="indicators", initial=initial["indicators"]
    )
    formsets["budget_lines"] = forms.BudgetLineFormSet(
        data, prefix="lines", initial=initial["lines"], form_kwargs={"call": call}
    )
    return form, formsets


def _kept_forms(formset) -> list:
    """The forms of a formset that become rows: typed well, not empty, not deleted."""
    return [
        subform
        for subform in formset.forms
        if subform.is_valid() and subform.cleaned_data and not subform.cleaned_data.get("DELETE")
    ]


def _row(subform, name: str) -> dict:
    row = {k: v for k, v in subform.cleaned_data.items() if k != "DELETE"}
    if name == "budget_lines":
        row["category_id"] = row.pop("category").pk
        row["own_money"] = row.get("own_money") or 0
        row["own_in_kind"] = row.get("own_in_kind") or 0
        row["cost_type"] = row.get("cost_type") or CostType.ACTION
    return row


def _draft(form, formsets) -> dict:
    """What the post holds that can be saved: each valid field and each valid row. A
    list whose management data is broken is left as saved."""
    form.is_valid()
    lists = {}
    for name, formset in formsets.items():
        formset.is_valid()
        if formset.management_form.is_valid():
            lists[name] = [_row(subform, name) for subform in _kept_forms(formset)]
    return {"fields": form.saved_fields(), **lists}


def _without(draft: dict, errors: dict) -> dict:
    """The draft less what the service refused (its fields and rows)."""
    bad_rows: dict[str, set[int]] = {}
    fields = dict(draft["fields"])
    for key in errors:
        name, _sep, rest = key.partition("[")
        if rest:
            bad_rows.setdefault(name, set()).add(int(rest.split("]")[0]))
        else:
            fields.pop(name, None)
    kept = {"fields": fields}
    for name, rows in draft.items():
        if name != "fields":
            kept[name] = [r for i, r in enumerate(rows) if i not in bad_rows.get(name, set())]
    return kept


def _row_forms(formsets, *, saved_order: bool) -> dict[str, list]:
    """The forms of each formset that became rows: in the order they were sent (errors
    of the draft) or the order they are read back (rule errors)."""
    rows = {}
    for name, formset in formsets.items():
        kept = _kept_forms(formset)
        if saved_order and name in _SAVED_ORDER:
            kept.sort(key=_SAVED_ORDER[name])  # stable: ties keep the order sent
        rows[name] = kept
    return rows


def _place_errors(errors: dict, form, formsets, *, saved_order: bool = False) -> None:
    """Show the service's field errors next to the fields that caused them: a row's error
    at that row's form, a list's error above the list, the rest at the top of the form.
    ``form`` and ``formsets`` are bound and validated, so what was typed stays shown."""
    rows = _row_forms(formsets, saved_order=saved_order)
    for key, messages_ in errors.items():
        name, _sep, rest = key.partition("[")
        if name in formsets and rest:
            index = int(rest.split("]")[0])
            field = key.split(".", 1)[1] if "." in key else None
            if index < len(rows[name]):
                target = rows[name][index]
                target.add_error(field if field in target.fields else None, messages_)
                continue
            formsets[name].non_form_errors().extend(messages_)
        elif name in form.fields:
            form.add_error(name, messages_)
        elif _FORMSET_OF_ERROR.get(name) in formsets:
            formsets[_FORMSET_OF_ERROR[name]].non_form_errors().extend(messages_)
        else:
            form.add_error(None, messages_)


def _save(request, application, form, formsets) -> bool:
    """Save every valid field and row; True when nothing was refused. What the service
    refuses (a row it cannot keep) is shown at its field and the rest saved again."""
    draft = _draft(form, formsets)
    clean = not form.errors and all(f.is_valid() for f in formsets.values())
    for _attempt in range(2):
        try:
            with transaction.atomic():
                saved = services.application_save_draft(
                    application=application,
                    actor=request.user,
                    expected_version=form.cleaned_data.get("version"),
                    **draft,
                )
        except ConcurrentChange:
            current = Application.objects.values_list("version", flat=True).get(pk=application.pk)
            form.show_conflict(current)
            return False
        except InvalidInput as exc:
            _place_errors(exc.field_errors, form, formsets)
            draft, clean = _without(draft, exc.field_errors), False
        else:
            form.data[form.add_prefix("version")] = str(saved.version)
            return clean
    return False


def _submit(request, application, form, formsets):
    """Submit (or resubmit) the saved draft; the rule errors go to their fields."""
    name = {
        ApplicationState.DRAFT: "submit",
        ApplicationState.CORRECTIONS_REQUESTED: "resubmit",
        ApplicationState.BUDGET_REVISION: "submit_revised_budget",
    }[application.state]
    try:
        transition_apply(obj=application, name=name, actor=request.user, reuse_related=True)
    except InvalidInput as exc:
        messages.error(request, str(exc.message))
        _place_errors(exc.field_errors, form, formsets, saved_order=True)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The application is submitted."))
        return redirect("grants:application", pk=application.pk)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, pk):
    """The application form, saved as a draft on every post; "Submit" saves first, so
    a refused submission never loses what was typed."""
    application = _own_draft(request, pk)
    form, formsets = _bind(request, application)
    files = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        clean = _save(request, application, form, formsets)
        clean = _attachments(request, application, files) and clean
        if clean and ("attach" in request.POST or "delete_attachment" in request.POST):
            return redirect(reverse("grants:application_edit", args=[pk]) + "#section-attachments")
        if clean and "add_member" in request.POST:
            rows = formsets["members"].total_form_count()
            url = reverse("grants:application_edit", args=[pk])
            # The new row, not its first field: a fragment makes its target the start
            # of Tab, so the next Tab goes to the row's name (not past it, to its e-mail).
            return redirect(f"{url}?members={rows}#members-{rows - 1}")
        if clean and "submit" not in request.POST:
            messages.success(request, _("The draft is saved."))
            return redirect("grants:application_edit", pk=pk)
        if clean:
            application.refresh_from_db()
            response = _submit(request, application, form, formsets)
            if response:
                return response
        else:
            messages.error(
                request,
                _(
                    "What you typed correctly is saved; correct the fields listed below. "
                    "Nothing was submitted."
                ),
            )
    application.refresh_from_db()
    context = _context(application, form, formsets)
    context["error_summary"] += [
        {"href": "#id_attachment", "text": f"{files['attachment'].label}: {e}"}
        for e in files["attachment"].errors
    ]
    context.update(attachment_form=files, attachments=attachments_of(application))
    return render(request, "grants/application_form.html", context)


def _attachments(request, application, files) -> bool:
    """Attach the file chosen (whichever button was pressed) and delete the one asked
    for; a refused file is said at the file field, and nothing else is lost."""
    ok = True
    delete = request.POST.get("delete_attachment", "")
    if delete.isdigit():
        attachment = attachment_for(request.user, int(delete))
        if attachment is None or attachment.owner_id != application.pk:
            raise Http404
        attachment_delete(attachment=attachment, actor=request.user)
        messages.success(request, _("%(name)s is deleted.") % {"name": attachment.original_name})
    upload = files.is_valid() and files.cleaned_data.get("attachment")
    if upload:
        try:
            attachment = services.application_attach(
                application=application, actor=request.user, upload=upload
            )
        except DomainError as error:
            files.add_error("attachment", str(error.message))
            ok = False
        else:
            messages.success(
                request, _("%(name)s is attached.") % {"name": attachment.original_name}
            )
    elif "attach" in request.POST:
        files.add_error("attachment", _("Choose a file to attach."))
        ok = False
    return ok


def _own_draft(request, pk) -> Application:
    application = _application(request, pk)
    if application.applicant_id != request.user.pk or application.state not in EDITABLE_STATES:
        raise Http404
    return application


def _context(application, form, formsets) -> dict:
    sections = _outline(application, form, formsets)
    return {
        "application": application,
        "call": application.call,
        "form": form,
        "formsets": formsets,
        "sections": sections,
        "complete": sum(1 for s in sections if s["complete"] and not s["optional"]),
        "counted": sum(1 for s in sections if not s["optional"]),
        "error_summary": _error_summary(form, formsets),
        "check_url": reverse("grants:application_check", args=[application.pk]),
        "is_group": application.kind == ApplicantKind.INFORMAL_GROUP,
        "totals": services.application_totals(application),
        "min_share": percent(application.call.min_own_share),
    }


def _outline(application, form, formsets) -> list[dict]:
    """The sections with whether each is complete by the call's rules (as saved)."""
    problems = set()
    field_section = {
        field: slug for slug, _t, names in forms.APPLICATION_SECTIONS for field in names
    }
    for key in application_rule_errors(application):
        name = key.partition("[")[0]
        problems.add(field_section.get(name) or _SECTION_OF_KEY.get(name, "applicant"))
    counts = {
        "members": len(application.members.all()),
        "activities": len(application.activities.all()),
        "indicators": len(application.indicators.all()),
        "budget": len(application.budget_lines.all()),
    }
    sections = []
    for section in form.sections():
        slug = section["slug"]
        if slug == "members" and "members" not in formsets:
            continue
        section["complete"] = slug not in problems and counts.get(slug, 1) > 0
        section["optional"] = slug in forms.OPTIONAL_SECTIONS and not any(
            getattr(application, f.name, None) for f in section["fields"]
        )
        sections.append(section)
    return sections


def _error_summary(form, formsets) -> list[dict]:
    """Every error of the page, each with a link to its field (or its list)."""
    items = [{"href": "#form-top", "text": str(e)} for e in form.non_field_errors()]
    for field in form.visible_fields():
        items += [
            {"href": f"#{field.id_for_label}", "text": f"{field.label}: {e}"} for e in field.errors
        ]
    titles = {
        "members": _("Member"),
        "activities": _("Activity"),
        "indicators": _("Indicator"),
        "budget_lines": _("Budget line"),
    }
    for name, formset in formsets.items():
        items += [
            {"href": f"#{formset.prefix}_errors", "text": str(e)} for e in formset.non_form_errors()
        ]
        for i, subform in enumerate(formset.forms, start=1):
            row = f"{titles[name]} {i}"
            items += [
                {"href": f"#{formset.prefix}-{i - 1}", "text": f"{row}: {e}"}
                for e in subform.non_field_errors()
            ]
            for field in subform.visible_fields():
                items += [
                    {"href": f"#{field.id_for_label}", "text": f"{row}, {field.label}: {e}"}
                    for e in field.errors
                ]
    return items


@login_required
@require_POST
def application_check(request, pk):
    """The call's rules for the draft as typed (not kept): the messages a submission
    would give, by field id, and the sums, for the page's script."""
    application = _own_draft(request, pk)
    form, formsets = _bind(request, application)
    draft = _draft(form, formsets)
    rule_errors, totals = services.application_draft_check(
        application=application, actor=request.user, **draft
    )
    check_form, check_formsets = _bind(request, application)
    _draft(check_form, check_formsets)
    _place_errors(rule_errors, check_form, check_formsets, saved_order=True)
    return JsonResponse(
        {
            "errors": _error_summary(check_form, check_formsets),
            "totals": {
                key: format_amount(value) if key != "own_share" else value
                for key, value in (totals or {}).items()
            },
        }
    )
