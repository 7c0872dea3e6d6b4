"""The metropolis' figures for its staff: aggregates of its member municipalities by
municipality, year and area, a chart, and the same as CSV and XLSX. Nothing here
names a resident, a group member or a supplier."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from documents.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from finance.charts import grouped_bars

from ..exports import figures_csv, figures_xlsx
from ..forms import FiguresFilterForm
from ..selectors import member_figures, metropolises_of


def _selection(request):
    metropolises = list(metropolises_of(request.user))
    if not metropolises:
        raise PermissionDenied
    chosen = request.GET.get("organisation")
    if chosen:
        metropolis = next((m for m in metropolises if str(m.pk) == chosen), None)
        if metropolis is None:
            raise Http404
    else:
        metropolis = metropolises[0]
    form = FiguresFilterForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return metropolises, metropolis, form, year


@login_required
def figures(request):
    metropolises, metropolis, form, year = _selection(request)
    data = member_figures(metropolis, year)
    series = [_("awarded"), _("paid"), _("purchases, net")]
    chart = grouped_bars(
        groups=[
            (municipality.name, [f.awarded, f.paid, f.purchase_net])
            for municipality, f in data.by_municipality
        ],
        series=series,
    )
    return render(
        request,
        "metropolis/figures.html",
        {
            "metropolises": metropolises,
            "metropolis": metropolis,
            "form": form,
            "year": year,
            "data": data,
            "chart": chart,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def figures_csv_download(request):
    _m, metropolis, _form, year = _selection(request)
    response = HttpResponse(figures_csv(member_figures(metropolis, year)), CSV_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="metropolia.csv"'
    return response


@login_required
def figures_xlsx_download(request):
    _m, metropolis, _form, year = _selection(request)
    response = HttpResponse(figures_xlsx(member_figures(metropolis, year)), XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="metropolia.xlsx"'
    return response
