"""The settlement register: its CSV and XLSX of a grant and a purchase driven through
their whole lifecycles (acceptance 4), the filters, the export log, personal data,
query counts and organisation scoping."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from accounts.models import Role
from accounts.services import membership_grant
from finance.models import Export
from finance.views.settlements import settlements_csv
from grants.models import Application, Call, InterestRate
from purchases.models import SameKindGroup
from tests.clients import api, web
from tests.factories import OrganisationFactory, UserFactory
from tests.grants.conftest import NOW, GrantWorld

from .settlements_support import (
    SUPPLIER,
    cheap_rows,
    classifications,
    closed_purchase,
    settled_agreement,
)

pytestmark = pytest.mark.django_db
BOM = b"\xef\xbb\xbf"

HEADER = (
    "rodzaj;organizacja;numer umowy lub zamówienia;data umowy lub zamówienia;przedmiot;"
    "nabór lub grupa zamówień;beneficjent lub wykonawca;NIP;REGON;KRS;rachunek bankowy;"
    "klasyfikacja budżetowa;kwota przyznana lub zamówiona;wypłacono;"
    "data pierwszej płatności;data ostatniej płatności;kwota wykorzystana;wkład własny;"
    "data złożenia sprawozdania;data przyjęcia sprawozdania;do zwrotu;zwrócono;"
    "data zwrotu;odsetki;status;numer faktury;faktura netto;faktura VAT;faktura brutto;"
    "data odbioru"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def traveller():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


class Lifecycles:
    """A closed grant (agreement signed 24 Nov 2026) and a closed purchase (ordered
    20 Mar 2026) of one municipality, and its finance user."""

    def __init__(self, traveller):
        InterestRate.objects.create(
            valid_from=datetime.date(2026, 1, 1), annual_rate=Decimal("10.00")
        )
        InterestRate.objects.create(
            valid_from=datetime.date(2027, 1, 1), annual_rate=Decimal("12.00")
        )
        grant_code, purchase_code = classifications()
        self.world = GrantWorld(classification=grant_code)
        self.organisation = self.world.organisation
        self.finance = self.world.finance
        self.agreement = settled_agreement(self.world, traveller)
        self.purchase, self.team = closed_purchase(self.organisation, purchase_code)
        self.group = self.purchase.group

    @property
    def grant_line(self) -> str:
        return (
            "dotacja;GMP;U/GMP/2026/FS1/0001;2026-11-24;Ogród społeczny na Zielonej;"
            "Fundusz sąsiedzki 2026;Sąsiedzi z Zielonej;;;;61109010140000071219812874;"
            "921-92105-2360;3000,00;3000,00;2026-11-26;2026-11-26;2100,00;900,00;"
            "2027-01-05;2027-01-09;900,00;900,00;2027-01-20;4,93;zamknięta;;;;;"
        )

    @property
    def purchase_line(self) -> str:
        return (
            f"zamówienie;GMP;GMP/ZP/2026/{self.purchase.pk};2026-03-20;Warsztaty dla seniorów;"
            f"Warsztaty edukacyjne;Fundacja Aktywny Senior;5252248481;123456785;0000654321;"
            f"{SUPPLIER['bank_account']};750-75095-4300;34440,00;34440,00;2026-07-10;"
            "2026-07-10;;;;;;;;;zamknięte;FV 7/2026;28000,00;6440,00;34440,00;2026-07-01"
        )


@pytest.fixture
def lifecycles(traveller):
    return Lifecycles(traveller)


def csv_text(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def finance_user(organisation):
    user = UserFactory()
    membership_grant(user=user, organisation=organisation, role=Role.FINANCE)
    return user


# Acceptance 4: the exact CSV and XLSX of the lifecycles ------------------------------


def test_the_csv_of_the_lifecycles_has_the_exact_rows(lifecycles):
    response = web(lifecycles.finance).get("/finanse/rozliczenia.csv")

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    export = Export.objects.get()
    assert response["Content-Disposition"] == (
        f'attachment; filename="rozliczenia-2027-01-20-{export.pk}.csv"'
    )
    body = b"".join(response.streaming_content)
    assert body.startswith(BOM)
    assert body == BOM + "\r\n".join(
        [HEADER, lifecycles.purchase_line, lifecycles.grant_line, ""]
    ).encode("utf-8")


MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"


def kind(value) -> str:
    """What a spreadsheet holds: Excel stores every number as a double, which openpyxl
    reads back as an int when it has no fraction."""
    if value is None:
        return "empty"
    if isinstance(value, datetime.datetime):
        return "date"
    if isinstance(value, int | float):
        return "number"
    assert isinstance(value, str), value
    return "text"


def day(y, m, d) -> datetime.datetime:
    return datetime.datetime(y, m, d)  # openpyxl reads dates back as datetimes


def test_the_xlsx_built_by_the_task_matches_cell_by_cell(
    lifecycles, django_capture_on_commit_callbacks
):
    client = web(lifecycles.finance)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/finanse/rozliczenia/xlsx/")
    export = Export.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/finanse/eksporty/{export.pk}/"
    assert (export.status, export.format, export.rows_total, export.rows_done) == (
        "done",
        "xlsx",
        2,
        2,
    )
    assert export.file.name == f"exports/rozliczenia-2027-01-20-{export.pk}.xlsx"
    page = client.get(response["Location"]).content.decode()
    assert "Plik jest gotowy: 2 wiersze." in page
    download = client.get(f"/finanse/eksporty/{export.pk}/pobierz/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == (
        f'attachment; filename="rozliczenia-2027-01-20-{export.pk}.xlsx"'
    )

    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.title == "Rozliczenia"
    rows = list(sheet.iter_rows())
    assert [cell.value for cell in rows[0]] == HEADER.split(";")
    purchase = [
        ("zamówienie", "General"),
        ("GMP", "General"),
        (f"GMP/ZP/2026/{lifecycles.purchase.pk}", "General"),
        (day(2026, 3, 20), DATE_FORMAT),
        ("Warsztaty dla seniorów", "General"),
        ("Warsztaty edukacyjne", "General"),
        ("Fundacja Aktywny Senior", "General"),
        ("5252248481", "General"),
        ("123456785", "General"),
        ("0000654321", "General"),
        (SUPPLIER["bank_account"], "General"),
        ("750-75095-4300", "General"),
        (34440.0, MONEY_FORMAT),
        (34440.0, MONEY_FORMAT),
        (day(2026, 7, 10), DATE_FORMAT),
        (day(2026, 7, 10), DATE_FORMAT),
        *[(None, "General")] * 8,
        ("zamknięte", "General"),
        ("FV 7/2026", "General"),
        (28000.0, MONEY_FORMAT),
        (6440.0, MONEY_FORMAT),
        (34440.0, MONEY_FORMAT),
        (day(2026, 7, 1), DATE_FORMAT),
    ]
    grant = [
        ("dotacja", "General"),
        ("GMP", "General"),
        ("U/GMP/2026/FS1/0001", "General"),
        (day(2026, 11, 24), DATE_FORMAT),
        ("Ogród społeczny na Zielonej", "General"),
        ("Fundusz sąsiedzki 2026", "General"),
        ("Sąsiedzi z Zielonej", "General"),
        (None, "General"),
        (None, "General"),
        (None, "General"),
        ("61109010140000071219812874", "General"),
        ("921-92105-2360", "General"),
        (3000.0, MONEY_FORMAT),
        (3000.0, MONEY_FORMAT),
        (day(2026, 11, 26), DATE_FORMAT),
        (day(2026, 11, 26), DATE_FORMAT),
        (2100.0, MONEY_FORMAT),
        (900.0, MONEY_FORMAT),
        (day(2027, 1, 5), DATE_FORMAT),
        (day(2027, 1, 9), DATE_FORMAT),
        (900.0, MONEY_FORMAT),
        (900.0, MONEY_FORMAT),
        (day(2027, 1, 20), DATE_FORMAT),
        (4.93, MONEY_FORMAT),
        ("zamknięta", "General"),
        *[(None, "General")] * 5,
    ]
    assert len(rows) == 3
    for cells, expected in ((rows[1], purchase), (rows[2], grant)):
        assert [(c.value, c.number_format) for c in cells] == expected
        # The same type too: numbers are numbers, dates dates, text text.
        assert [kind(c.value) for c in cells] == [kind(v) for v, _f in expected]
        assert [c.is_date for c in cells] == [f == DATE_FORMAT for _v, f in expected]


# Filters ------------------------------------------------------------------------------


def numbers(user, **params) -> list[str]:
    response = api(user).get("/api/v1/settlements/", params)
    assert response.status_code == 200, response.json()
    return [row["ref_no"] for row in response.json()["results"]]


def test_the_filters_narrow_the_rows_exactly(lifecycles):
    user = lifecycles.finance
    grant, purchase = "U/GMP/2026/FS1/0001", lifecycles.purchase.number
    call, group = lifecycles.world.call.pk, lifecycles.group.pk

    assert numbers(user) == [purchase, grant]
    assert numbers(user, organisation=lifecycles.organisation.pk) == [purchase, grant]
    assert numbers(user, call=call) == [grant]
    assert numbers(user, group=group) == [purchase]
    assert numbers(user, classification="921") == [grant]
    assert numbers(user, classification="921-92105-2360") == [grant]
    assert numbers(user, classification="750-75095") == [purchase]
    assert numbers(user, classification="921-92195") == []
    assert numbers(user, status="grant:closed") == [grant]
    assert numbers(user, status="grant:settled") == []
    assert numbers(user, status="purchase:closed") == [purchase]
    # The period applies to the agreement or order date, both ends included.
    assert numbers(user, date_from="2026-11-24") == [grant]
    assert numbers(user, date_from="2026-11-25") == []
    assert numbers(user, date_to="2026-03-20") == [purchase]
    assert numbers(user, date_from="2026-03-21", date_to="2026-11-23") == []
    assert numbers(user, date_from="2026-01-01", date_to="2026-12-31", call=call) == [grant]


def test_wrong_filters_are_refused_in_polish(lifecycles):
    other = OrganisationFactory()
    cheap_rows(other, 1)
    other_call = Call.objects.get(organisation=other)

    response = api(lifecycles.finance).get(
        "/api/v1/settlements/",
        {
            "date_from": "2026-12-01",
            "date_to": "2026-11-01",
            "classification": "92105",
            "call": other_call.pk,
            "status": "grant:paid",
        },
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "date_to": ["Koniec okresu nie może być wcześniejszy niż jego początek."],
        "classification": [
            "Podaj dział (921), rozdział (921-92105) albo pełną klasyfikację (921-92105-2360)."
        ],
        "call": ["Wybierz poprawną wartość. Podana nie jest jednym z dostępnych wyborów."],
        "status": ["Wybierz poprawną wartość. grant:paid nie jest żadną z dostępnych opcji."],
    }
    page = web(lifecycles.finance).get("/finanse/rozliczenia/?classification=92105")
    assert page.status_code == 400
    assert "Podaj dział (921), rozdział (921-92105)" in page.content.decode()


# The export log -----------------------------------------------------------------------


def test_each_export_is_logged_with_its_user_filters_and_rows(
    lifecycles, django_capture_on_commit_callbacks
):
    user = lifecycles.finance
    call = lifecycles.world.call
    client = web(user)

    response = client.get(f"/finanse/rozliczenia.csv?call={call.pk}&date_from=2026-01-01")
    export = Export.objects.get()
    # The log row exists before the first byte is sent; the count comes at the end.
    assert (export.status, export.rows_total) == ("running", None)
    assert csv_text(response).count("\r\n") == 2
    export.refresh_from_db()
    assert (
        export.kind,
        export.format,
        export.user,
        export.organisation,
        export.filters,
        export.rows_total,
        export.status,
    ) == (
        "settlements",
        "csv",
        user,
        lifecycles.organisation,
        {"call": call.pk, "date_from": "2026-01-01"},
        1,
        "done",
    )
    assert export.finished_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/finanse/rozliczenia/xlsx/", {"status": "purchase:closed"})
    xlsx = Export.objects.get(format="xlsx")
    assert (xlsx.user, xlsx.filters, xlsx.rows_total, xlsx.status) == (
        user,
        {"status": "purchase:closed"},
        1,
        "done",
    )

    with django_capture_on_commit_callbacks(execute=True):
        created = api(user).post("/api/v1/exports/", {"group": lifecycles.group.pk}, format="json")
    assert created.status_code == 202
    assert created.json()["status"] == "queued"  # the job is queued after the commit
    body = api(user).get(f"/api/v1/exports/{created.json()['id']}/").json()
    assert (body["status"], body["rows_total"], body["filters"], body["user"]) == (
        "done",
        1,
        {"group": lifecycles.group.pk},
        user.email,
    )
    assert body["download"] == f"http://testserver/api/v1/exports/{body['id']}/download/"
    assert body["filters_described"] == ["Grupa zamówień: Warsztaty edukacyjne"]
    download = api(user).get(f"/api/v1/exports/{body['id']}/download/")
    assert download.status_code == 200
    assert load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.max_row == 2

    api_csv = api(user).get("/api/v1/settlements/csv/", {"status": "grant:closed"})
    assert api_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_text(api_csv) == f"\ufeff{HEADER}\r\n{lifecycles.grant_line}\r\n"

    log = client.get("/finanse/eksporty/").content.decode()
    assert f"Data umowy lub zamówienia od: 2026-01-01; Nabór: {call.title}" in log
    assert "Status: zamknięte" in log
    listing = api(user).get("/api/v1/exports/").json()
    assert [(e["format"], e["filters"], e["rows_total"]) for e in listing["results"]] == [
        ("csv", {"status": "grant:closed"}, 1),
        ("xlsx", {"group": lifecycles.group.pk}, 1),
        ("xlsx", {"status": "purchase:closed"}, 1),
        ("csv", {"call": call.pk, "date_from": "2026-01-01"}, 1),
    ]


def test_an_interrupted_download_is_logged_as_failed(lifecycles):
    """As a WSGI server does when the client goes away: the response is closed after
    the first chunk."""
    request = RequestFactory().get("/finanse/rozliczenia.csv")
    request.user = lifecycles.finance
    response = settlements_csv(request)
    first = next(iter(response))
    # The test's transaction must outlive the end of the request.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)

    assert first.startswith(BOM)
    export = Export.objects.get()
    assert (export.status, export.rows_total, export.error) == (
        "failed",
        0,
        "Pobieranie zostało przerwane.",
    )


def test_a_failed_xlsx_job_stores_no_file_and_says_so(
    lifecycles, media, monkeypatch, django_capture_on_commit_callbacks
):
    from finance.services import exports

    real_write = exports.xlsx_write

    def write_then_fail(rows, target, **kwargs):
        real_write(rows, target, **kwargs)
        raise OSError("disk full")

    monkeypatch.setattr(exports, "xlsx_write", write_then_fail)
    client = web(lifecycles.finance)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/finanse/rozliczenia/xlsx/")

    export = Export.objects.get()
    assert (export.status, export.error, export.file.name) == ("failed", "disk full", "")
    assert not (media / "exports").exists() or not any((media / "exports").iterdir())
    page = client.get(response["Location"]).content.decode()
    assert "Nie udało się przygotować pliku." in page
    assert client.get(f"/finanse/eksporty/{export.pk}/pobierz/").status_code == 404


def test_the_job_page_shows_progress_and_is_its_authors(lifecycles):
    user = lifecycles.finance
    export = Export.objects.create(
        kind="settlements",
        format="xlsx",
        user=user,
        organisation=lifecycles.organisation,
        status="running",
        rows_total=4000,
        rows_done=1000,
    )

    page = web(user).get(f"/finanse/eksporty/{export.pk}/").content.decode()
    assert '<progress id="export-progress" max="4000" value="1000">' in page
    assert "1000 z 4000 wierszy" in page
    assert 'http-equiv="refresh"' not in page
    auto = web(user).get(f"/finanse/eksporty/{export.pk}/?auto=1").content.decode()
    assert '<meta http-equiv="refresh" content="3">' in auto
    assert "Wyłącz automatyczne odświeżanie" in auto

    colleague = finance_user(lifecycles.organisation)
    assert web(colleague).get(f"/finanse/eksporty/{export.pk}/").status_code == 404
    assert api(colleague).get(f"/api/v1/exports/{export.pk}/").json()["status"] == "running"
    resident = lifecycles.world.resident
    assert web(resident).get(f"/finanse/eksporty/{export.pk}/").status_code == 403
    assert api(resident).get("/api/v1/exports/").status_code == 403


# Personal data --------------------------------------------------------------------------


def test_pesel_never_appears(lifecycles, django_capture_on_commit_callbacks):
    """A resident applies as a natural person and writes their PESEL into the address
    and phone fields: the register carries their name, never those."""
    pesel = "44051401458"
    Application.objects.filter(pk=lifecycles.agreement.application_id).update(
        kind="resident",
        applicant_name="Jan Kowalski",
        address=f"ul. Polna 1, PESEL {pesel}",
        phone=pesel,
    )
    user = lifecycles.finance

    text = csv_text(web(user).get("/finanse/rozliczenia.csv"))
    page = web(user).get("/finanse/rozliczenia/").content.decode()
    listing = api(user).get("/api/v1/settlements/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        web(user).post("/finanse/rozliczenia/xlsx/")
    sheet = load_workbook(Export.objects.get(format="xlsx").file.path).active
    cells = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)

    for output in (text, page, listing, cells):
        assert "Jan Kowalski" in output
        assert pesel not in output
        assert "PESEL" not in output.upper()
        assert "ul. Polna 1" not in output


# Query counts and scoping --------------------------------------------------------------------


def log_exports(user, organisation, count: int) -> None:
    """Exports whose filters name an organisation, a call and a group to look up."""
    call = Call.objects.get(organisation=organisation)
    group = SameKindGroup.objects.get(organisation=organisation)
    Export.objects.bulk_create(
        Export(
            kind="settlements",
            format="csv",
            user=user,
            organisation=organisation,
            filters={"organisation": organisation.pk, "call": call.pk, "group": group.pk},
            rows_total=i,
        )
        for i in range(count)
    )


def test_the_register_the_log_and_their_api_lists_take_constant_queries(organisation):
    user = finance_user(organisation)

    def count(url, client) -> tuple[int, int]:
        fresh = type(user).objects.get(pk=user.pk)  # the roles cache must not hide queries
        session = client(fresh)
        with CaptureQueriesContext(connection) as queries:
            response = session.get(url)
        assert response.status_code == 200
        if url.startswith("/api/"):
            shown = len(response.json()["results"])
        else:
            shown = response.content.decode().count('<th scope="row">')
        return len(queries), shown

    cheap_rows(organisation, 10)
    log_exports(user, organisation, 10)
    small = {url: count(url, client) for url, client in URLS}
    cheap_rows(organisation, 50, start=10)
    log_exports(user, organisation, 50)
    large = {url: count(url, client) for url, client in URLS}

    assert {url: shown for url, (_q, shown) in small.items()} == dict.fromkeys(small, 10)
    assert {url: shown for url, (_q, shown) in large.items()} == {
        "/finanse/rozliczenia/": 50,
        "/finanse/rozliczenia/?page=2": 10,
        "/api/v1/settlements/?page_size=100": 60,
        "/finanse/eksporty/": 50,
        "/api/v1/exports/?page_size=100": 60,
    }
    assert {url: q for url, (q, _s) in large.items()} == {
        # session, user, roles, the page's keys, its rows, unread, 3 choices (not
        # counted: #18)
        "/finanse/rozliczenia/": 9,
        "/finanse/rozliczenia/?page=2": 9,
        "/api/v1/settlements/?page_size=100": 3,  # roles, keys, rows (not counted: #18)
        # session, user, roles, the page's keys, its rows, 3 names, unread
        "/finanse/eksporty/": 9,
        "/api/v1/exports/?page_size=100": 6,  # roles, keys, rows, 3 names (#18)
    }
    # At 10 rows page 2 is past the end: it shows the last page, which that case alone
    # finds by counting (and reads the keys again): two queries more.
    assert {url: q for url, (q, _s) in small.items()} == {
        **{url: q for url, (q, _s) in large.items()},
        "/finanse/rozliczenia/?page=2": 11,
    }


def test_the_register_page_links_the_pages_next_to_it_without_counting(organisation):
    user = finance_user(organisation)
    cheap_rows(organisation, 60)
    client = web(user)

    first = client.get("/finanse/rozliczenia/", {"status": ""})
    second = client.get("/finanse/rozliczenia/", {"status": "", "page": 2})
    past = client.get("/finanse/rozliczenia/", {"status": "", "page": 7})
    garbage = client.get("/finanse/rozliczenia/", {"page": "x"})

    assert [r.status_code for r in (first, second, past, garbage)] == [200] * 4
    assert (first.context["page"].number, len(first.context["table"])) == (1, 50)
    assert '<a href="?status=&amp;page=2" rel="next">Następna</a>' in first.content.decode()
    assert "<p>Strona 1</p>" in first.content.decode()
    assert "wierszy" not in first.content.decode()  # the count is the exports'
    for page in (second, past):  # past the end: the last page
        html = page.content.decode()
        assert (page.context["page"].number, len(page.context["table"])) == (2, 10)
        assert '<a href="?status=&amp;page=1" rel="prev">Poprzednia</a>' in html
        assert "Następna" not in html
    assert [row["cells"] for row in second.context["table"]] == [
        row["cells"] for row in past.context["table"]
    ]
    assert [row["cells"] for row in garbage.context["table"]] == [
        row["cells"] for row in first.context["table"]
    ]


def test_a_page_of_the_register_reads_each_process_from_its_index(organisation):
    """Each process's part of the page's keys is read in the register's order from its
    index (``agreement_settlement_idx``, ``purchase_settlement_idx``) and cut after the
    page: the index expression is the very ``ref_date`` of the providers. Sorting is
    priced out so that the plan shows what the index can serve whatever the planner's
    estimate of these few rows; ``benchmarks/pages_finance.py`` prints the plan it
    chooses at 50,000 rows."""
    if connection.vendor != "postgresql":
        pytest.skip("the parts of a compound SELECT are cut on PostgreSQL only")
    from finance.settlements import SettlementPages

    cheap_rows(organisation, 4)
    keys = SettlementPages(organisation_ids=[organisation.pk]).page_keys(slice(0, 51))
    sql, params = keys.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN (COSTS OFF) " + sql, params)
        plan = "\n".join(line for (line,) in cursor.fetchall())

    assert "Index Scan using agreement_settlement_idx on grants_agreement" in plan
    assert "Index Scan using purchase_settlement_idx on purchases_purchase" in plan
    assert plan.count("Limit") == 3  # the page, and each part cut after it
    assert [(key["process"], key["source_id"]) for key in keys] == [
        (key["process"], key["source_id"])
        for key in SettlementPages(organisation_ids=[organisation.pk]).keys
    ]


URLS = [
    ("/finanse/rozliczenia/", web),
    ("/finanse/rozliczenia/?page=2", web),
    ("/api/v1/settlements/?page_size=100", api),
    ("/finanse/eksporty/", web),
    ("/api/v1/exports/?page_size=100", api),
]


def test_finance_of_another_organisation_sees_none_of_the_rows(
    lifecycles, django_capture_on_commit_callbacks
):
    outsider = finance_user(OrganisationFactory())
    client = web(outsider)

    page = client.get("/finanse/rozliczenia/").content.decode()
    text = csv_text(client.get("/finanse/rozliczenia.csv"))
    listing = api(outsider).get("/api/v1/settlements/").json()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/finanse/rozliczenia/xlsx/")
    mine = Export.objects.get(user=outsider, format="xlsx")
    forced = api(outsider).get("/api/v1/settlements/", {"organisation": lifecycles.organisation.pk})

    assert "Brak pasujących rozliczeń." in page
    assert text == "\ufeff" + HEADER + "\r\n"
    assert listing["count"] == 0
    assert mine.rows_total == 0
    assert forced.status_code == 400
    # Their exports are not shown to the municipality, nor the municipality's to them.
    theirs = Export.objects.create(kind="settlements", format="csv", user=lifecycles.finance)
    assert client.get(f"/finanse/eksporty/{theirs.pk}/pobierz/").status_code == 404
    assert api(outsider).get(f"/api/v1/exports/{theirs.pk}/").status_code == 404
    assert [e["id"] for e in api(outsider).get("/api/v1/exports/").json()["results"]] == [
        e.pk for e in Export.objects.filter(user=outsider).order_by("-created_at", "-pk")
    ]


def test_a_page_holds_the_same_rows_in_the_same_order_as_the_export(organisation):
    user = finance_user(organisation)
    cheap_rows(organisation, 12)
    lines = csv_text(web(user).get("/finanse/rozliczenia.csv")).split("\r\n")[1:-1]
    everything = [line.split(";") for line in lines]

    page = api(user).get("/api/v1/settlements/", {"page_size": 5, "page": 2}).json()
    counted = api(user).get("/api/v1/settlements/", {"page_size": 5, "page": 2, "count": "true"})
    last = api(user).get("/api/v1/settlements/", {"page_size": 5, "page": 3}).json()

    # Not counted unless asked (#18); the last page knows the total from its own rows.
    assert page["count"] is None
    assert page["next"].endswith("/api/v1/settlements/?page=3&page_size=5")
    assert page["previous"].endswith("/api/v1/settlements/?page_size=5")
    assert counted.json()["count"] == 12
    assert (last["count"], last["next"], len(last["results"])) == (12, None, 2)
    assert [(row["ref_no"], row["paid"]) for row in page["results"]] == [
        (cells[2], cells[13].replace(",", ".")) for cells in everything[5:10]
    ]
