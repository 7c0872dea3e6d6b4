"""Settlement export benchmark: run on purpose with ``.venv/bin/python benchmarks/export.py``.

On 100 000 rows of the settlement register in PostgreSQL (half grant agreements, half
purchases, each paid, the agreements with an accepted report, expenses and a return):

1. **CSV**: the product's streaming view (``finance:settlements_csv``: the export log
   row, the query through a server-side cursor, the formatting, the UTF-8 encoding),
   consumed to the last byte, against PostgreSQL's own
   ``COPY (<the same SELECT>) TO STDOUT WITH CSV`` of the same rows read by the same
   client in the same run. Medians of interleaved runs after one warm-up run of each.
   Target: under 5 times COPY.
2. **Peak memory of the CSV**: Python's allocations while the whole response is
   consumed, measured with ``tracemalloc`` (its peak covers the view, the streaming
   generator, the cursor's chunks and the chunks of text; it does not see libpq's C
   buffers), in a separate run because tracing slows Python down. The process's
   ``ru_maxrss`` before and after is printed too. Target: under 100 MB.
3. **XLSX**: the Celery task ``build_settlements_xlsx`` run in-process (eagerly) on
   the same rows: count, write the workbook to a temporary file with progress
   updates every 1000 rows, store it.
4. **Register page**: the first and the last page of 50 rows rendered by the view
   (the count and the page's keys on the cheap columns, then that page's rows).

``DATABASE_URL`` is used when set (a scratch database: the script migrates it and adds
rows); otherwise the script starts a throwaway PostgreSQL cluster on a free loopback
port in a temporary directory and removes it at the end (see ``benchmarks/pdf.py``).
The rows are made in seconds by cloning one template row of each table with
``INSERT ... SELECT ... FROM generate_series``.
"""

import argparse
import datetime
import gc
import os
import resource
import statistics
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# Rows ---------------------------------------------------------------------------------


def _columns(model, overrides: dict[str, str], alias: str = "t") -> tuple[str, str]:
    """The INSERT column list of ``model`` (without the id) and the SELECT list that
    copies the template row ``alias`` except for ``overrides`` (SQL expressions)."""
    names = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    unknown = set(overrides) - set(names)
    if unknown:
        raise ValueError(unknown)
    select = [overrides.get(name, f'{alias}."{name}"') for name in names]
    return ", ".join(f'"{n}"' for n in names), ", ".join(select)


def _clone(cursor, model, template, overrides: dict[str, str], source: str, where="TRUE") -> int:
    """Insert copies of the template row, one per row of ``source`` (FROM items whose
    columns the overrides may use) that matches ``where``."""
    columns, select = _columns(model, overrides)
    table = model._meta.db_table
    # The SQL is made of the benchmark's own constants and of column names.
    cursor.execute(
        f'INSERT INTO "{table}" ({columns}) SELECT {select} '  # noqa: S608
        f'FROM "{table}" t, {source} WHERE t.id = {int(template.pk)} AND ({where})'
    )
    return cursor.rowcount


def make_rows(total: int):
    """A municipality with a finance user, one template of each row, and clones up to
    ``total`` register rows. Returns the finance user."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone
    from django_fsm_log.models import StateLog

    from accounts.models import Role
    from accounts.services import membership_grant
    from finance.models import BudgetClassification, PaymentOrder
    from grants.models import (
        Agreement,
        Application,
        BudgetLine,
        Call,
        CostCategory,
        Expense,
        Report,
        Return,
        Tranche,
    )
    from purchases.models import Invoice, Offer, Purchase, SameKindGroup, Supplier
    from tests.factories import OrganisationFactory, UserFactory

    organisation = OrganisationFactory(short_name="GB")
    finance = UserFactory(email="ksiegowa@example.org")
    membership_grant(user=finance, organisation=organisation, role=Role.FINANCE)
    applicant = UserFactory()
    classification = BudgetClassification.objects.create(
        year=2026, section="921", chapter="92105", paragraph="2360", name="Dotacje"
    )
    services = BudgetClassification.objects.create(
        year=2026, section="750", chapter="75095", paragraph="4300", name="Usługi"
    )
    now = timezone.now()
    call = Call.objects.create(
        organisation=organisation,
        procedure=Call.Procedure.SMALL_GRANT_19A,
        code="B1",
        title="Małe granty 2026",
        year=2026,
        pool=Decimal("100000000"),
        max_grant=Decimal("10000"),
        max_duration_days=90,
        opens_at=now - datetime.timedelta(days=200),
        closes_at=now - datetime.timedelta(days=150),
        classification=classification,
        state="closed",
    )
    category = CostCategory.objects.create(call=call, name="Materiały")
    application = Application.objects.create(
        call=call,
        applicant=applicant,
        number="T/1",
        sequence=1,
        kind="ngo",
        applicant_name="Stowarzyszenie „Zażółć gęślą jaźń”; Oddział Południe",
        nip="5252248481",
        regon="123456785",
        krs="0000654321",
        account_number="61109010140000071219812874",
        title="Zajęcia dla seniorów",
        own_money=Decimal("300.00"),
        volunteer_hours=Decimal("20"),
        volunteer_rate=Decimal("30.00"),
        state="approved",
        approved_amount=Decimal("3000.00"),
    )
    line = BudgetLine.objects.create(
        application=application,
        category=category,
        description="Materiały",
        unit="zestaw",
        quantity=Decimal("10"),
        unit_cost=Decimal("300.00"),
        from_grant=Decimal("3000.00"),
    )
    agreement = Agreement.objects.create(
        application=application,
        organisation=organisation,
        number="U/T/1",
        amount=Decimal("3000.00"),
        spending_deadline=datetime.date(2026, 12, 31),
        report_deadline=datetime.date(2027, 1, 30),
        signed_on=datetime.date(2026, 4, 1),
        state="settled",
    )
    tranche_type = ContentType.objects.get_for_model(Tranche)
    purchase_type = ContentType.objects.get_for_model(Purchase)
    report_type = ContentType.objects.get_for_model(Report)
    grant_order = PaymentOrder.objects.create(
        organisation=organisation,
        kind=PaymentOrder.Kind.GRANT_TRANCHE,
        source_type=tranche_type,
        source_id=0,
        beneficiary_name=application.applicant_name,
        beneficiary_address="ul. Polna 1, 00-001 Testowo",
        account_number=application.account_number,
        title="Dotacja U/T/1, transza 1",
        amount=Decimal("3000.00"),
        due_date=datetime.date(2026, 4, 10),
        paid_on=datetime.date(2026, 4, 10),
        state="paid",
    )
    tranche = Tranche.objects.create(
        agreement=agreement,
        amount=Decimal("3000.00"),
        due_date=datetime.date(2026, 4, 10),
        payment_order=grant_order,
    )
    report = Report.objects.create(
        agreement=agreement, narrative="Zrobione.", submitted_at=now, state="accepted"
    )
    expense = Expense.objects.create(
        report=report,
        document_number="FV 1/2026",
        document_date=datetime.date(2026, 5, 1),
        issuer="Sklep",
        purpose="Materiały",
        budget_line=line,
        amount=Decimal("2500.00"),
        from_grant=Decimal("2500.00"),
    )
    ret = Return.objects.create(
        agreement=agreement,
        kind=Return.Kind.UNUSED,
        amount=Decimal("500.00"),
        deadline=datetime.date(2027, 1, 15),
        interest_from=datetime.date(2027, 1, 16),
        returned_on=datetime.date(2027, 1, 20),
        interest=Decimal("0.82"),
    )
    log = StateLog.objects.create(
        content_type=report_type,
        object_id=report.pk,
        source_state="under_review",
        state="accepted",
        transition="accept",
        timestamp=now,
    )

    requester = UserFactory()
    group = SameKindGroup.objects.create(organisation=organisation, name="Warsztaty")
    supplier = Supplier.objects.create(
        organisation=organisation,
        kind=Supplier.Kind.NGO,
        name="Fundacja Aktywny Senior",
        nip="1132853869",
        regon="123456785",
        bank_account="61109010140000071219812874",
        address="ul. Lipowa 3, 00-002 Testowo",
        email="fundacja@example.org",
    )
    purchase = Purchase.objects.create(
        organisation=organisation,
        number="GB/ZP/T/1",
        requesting_unit="Wydział Spraw Społecznych",
        requested_by=requester,
        title="Warsztaty dla seniorów",
        expected_result="10 warsztatów",
        group=group,
        cpv_code="80500000-9",
        estimated_net=Decimal("28000.00"),
        vat_rate="23",
        estimated_gross=Decimal("34440.00"),
        estimation_method="Rozeznanie",
        estimated_on=datetime.date(2026, 3, 1),
        estimated_by="Anna Nowak",
        classification=services,
        legal_basis="regulation",
        planned_start=datetime.date(2026, 4, 1),
        planned_end=datetime.date(2026, 6, 30),
        year=2026,
        awarded_net=Decimal("28000.00"),
        awarded_gross=Decimal("34440.00"),
        awarded_at=now,
        signed_on=datetime.date(2026, 3, 20),
        accepted_on=datetime.date(2026, 7, 1),
        state="paid",
    )
    offer = Offer.objects.create(
        purchase=purchase,
        supplier=supplier,
        channel=Offer.Channel.EMAIL,
        price_net=Decimal("28000.00"),
        price_gross=Decimal("34440.00"),
        submitted_at=now,
    )
    Purchase.objects.filter(pk=purchase.pk).update(awarded_offer=offer)
    invoice_order = PaymentOrder.objects.create(
        organisation=organisation,
        kind=PaymentOrder.Kind.INVOICE,
        source_type=purchase_type,
        source_id=purchase.pk,
        beneficiary_name=supplier.name,
        beneficiary_address=supplier.address,
        account_number=supplier.bank_account,
        title="Faktura FV 7/2026",
        amount=Decimal("34440.00"),
        due_date=datetime.date(2026, 7, 16),
        paid_on=datetime.date(2026, 7, 10),
        state="paid",
    )
    invoice = Invoice.objects.create(
        purchase=purchase,
        number="FV 7/2026",
        issued_on=datetime.date(2026, 7, 2),
        sale_on=datetime.date(2026, 6, 30),
        received_on=datetime.date(2026, 7, 3),
        net=Decimal("28000.00"),
        vat=Decimal("6440.00"),
        gross=Decimal("34440.00"),
        due_on=datetime.date(2026, 7, 16),
        payment_order=invoice_order,
        recorded_by=requester,
    )

    grants = (total - 2) // 2
    purchases = total - 2 - grants
    day = "DATE '2026-01-02' + (({}) % 360)::int"
    with connection.cursor() as cursor:
        _clone(
            cursor,
            Application,
            application,
            {
                "number": "'B/' || g",
                "sequence": "g + 1",
                "title": "'Zadanie nr ' || g",
                "own_money": "(g % 500)::numeric",
            },
            f"generate_series(1, {grants}) g",
        )
        _clone(
            cursor,
            Agreement,
            agreement,
            {
                "application_id": "a.id",
                "number": "'U/' || a.number",
                "amount": "2000 + (a.id % 1000)",
                "signed_on": day.format("a.id"),
            },
            "grants_application a",
            "a.number LIKE 'B/%'",
        )
        cloned_agreements = ("grants_agreement ag", "ag.number LIKE 'U/B/%'")
        _clone(
            cursor,
            Tranche,
            tranche,
            {"agreement_id": "ag.id", "amount": "ag.amount", "payment_order_id": "NULL"},
            *cloned_agreements,
        )
        _clone(
            cursor,
            PaymentOrder,
            grant_order,
            {
                "source_id": "tr.id",
                "amount": "tr.amount",
                "paid_on": day.format("tr.id + 7"),
                "title": "'Dotacja, transza ' || tr.id",
            },
            "grants_tranche tr",
            f"tr.id <> {tranche.pk}",
        )
        cursor.execute(
            "UPDATE grants_tranche tr SET payment_order_id = po.id FROM finance_paymentorder po "
            "WHERE po.source_type_id = %s AND po.source_id = tr.id "
            "AND tr.payment_order_id IS NULL",
            [tranche_type.pk],
        )
        _clone(cursor, Report, report, {"agreement_id": "ag.id"}, *cloned_agreements)
        _clone(
            cursor,
            Expense,
            expense,
            {"report_id": "r.id", "from_grant": "1500 + (r.id % 400)", "eligible": "r.id % 7 <> 0"},
            "grants_report r, generate_series(1, 2) n",
            f"r.id <> {report.pk}",
        )
        _clone(
            cursor,
            Return,
            ret,
            {"agreement_id": "ag.id", "amount": "(ag.id % 300)::numeric"},
            cloned_agreements[0],
            f"{cloned_agreements[1]} AND ag.id % 2 = 0",
        )
        _clone(
            cursor,
            StateLog,
            log,
            {"object_id": "r.id"},
            "grants_report r",
            f"r.id <> {report.pk}",
        )
        _clone(
            cursor,
            Purchase,
            purchase,
            {
                "number": "'GB/ZP/B/' || g",
                "title": "'Zamówienie nr ' || g",
                "awarded_gross": "10000 + (g % 5000)",
                "signed_on": day.format("g"),
                "awarded_offer_id": "NULL",
            },
            f"generate_series(1, {purchases}) g",
        )
        cloned_purchases = ("purchases_purchase p", "p.number LIKE 'GB/ZP/B/%'")
        _clone(cursor, Offer, offer, {"purchase_id": "p.id"}, *cloned_purchases)
        cursor.execute(
            "UPDATE purchases_purchase p SET awarded_offer_id = o.id FROM purchases_offer o "
            "WHERE o.purchase_id = p.id AND p.awarded_offer_id IS NULL"
        )
        _clone(
            cursor,
            PaymentOrder,
            invoice_order,
            {"source_id": "p.id", "amount": "p.awarded_gross", "paid_on": day.format("p.id + 30")},
            *cloned_purchases,
        )
        _clone(
            cursor,
            Invoice,
            invoice,
            {
                "purchase_id": "p.id",
                "payment_order_id": "po.id",
                "number": "'FV ' || p.id || '/2026'",
                "gross": "p.awarded_gross",
                "net": "round(p.awarded_gross / 1.23, 2)",
                "vat": "p.awarded_gross - round(p.awarded_gross / 1.23, 2)",
            },
            "purchases_purchase p JOIN finance_paymentorder po ON po.source_id = p.id "
            f"AND po.source_type_id = {purchase_type.pk}",
            cloned_purchases[1],
        )
        cursor.execute("ANALYZE")
    return finance, organisation


# Measurements ---------------------------------------------------------------------------


def copy_the_same_select(organisation_ids) -> tuple[float, int, int]:
    """PostgreSQL's COPY of the SELECT the export runs, read to the end by this client."""
    from django.db import connection

    from finance.settlements import SELECT_KEYS, settlement_rows

    query = settlement_rows(organisation_ids=organisation_ids).values_list(*SELECT_KEYS).query
    sql, params = query.sql_with_params()
    literal = connection.ops.compose_sql(sql, params)
    connection.ensure_connection()
    start = time.perf_counter()
    size = lines = 0
    with connection.connection.cursor() as cursor:
        copy_sql = f"COPY ({literal}) TO STDOUT WITH (FORMAT csv, DELIMITER ';', HEADER)"
        with cursor.copy(copy_sql) as copy:
            for block in copy:
                size += len(block)
                lines += bytes(block).count(b"\n")
    return time.perf_counter() - start, size, lines - 1


def csv_through_the_view(user) -> tuple[float, int, int]:
    from django.test import RequestFactory

    from finance.views.settlements import settlements_csv

    request = RequestFactory().get("/finanse/rozliczenia.csv")
    request.user = user
    start = time.perf_counter()
    size = lines = 0
    response = settlements_csv(request)
    for chunk in response:
        size += len(chunk)
        lines += chunk.count(b"\r\n")
    response.close()
    return time.perf_counter() - start, size, lines - 1


def page_time(user, path: str) -> float:
    """A page of the register (50 rows of all) rendered by its view."""
    from django.test import RequestFactory

    from finance.views.settlements import settlements

    request = RequestFactory().get(path)
    request.user = user
    request.session = {}
    start = time.perf_counter()
    response = settlements(request)
    assert response.status_code == 200
    return time.perf_counter() - start


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of CSV and COPY each")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from benchmarks.environment import django_on_postgres

    with django_on_postgres():
        from django.core.management import call_command
        from django.db import connection
        from django.utils import translation

        from finance.models import Export
        from finance.services.exports import settlement_export_start
        from finance.settlements import SettlementFilters

        translation.activate("pl")
        call_command("migrate", verbosity=0)
        print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the start")
        print(f"PostgreSQL {connection.cursor().connection.info.server_version}")
        start = time.perf_counter()
        user, organisation = make_rows(args.rows)
        print(f"{args.rows} rows made in {time.perf_counter() - start:.1f} s")

        copy_times, csv_times = [], []
        copy_csv_view = None
        copy_size = copy_rows = 0
        for run in range(args.runs + 1):  # the first run of each warms the caches
            for name in ("copy", "csv") if run % 2 else ("csv", "copy"):
                gc.collect()
                if name == "copy":
                    elapsed, size, rows = copy_the_same_select([organisation.pk])
                    copy_times.append(elapsed)
                    copy_size, copy_rows = size, rows
                else:
                    elapsed, size, rows = csv_through_the_view(fresh(user))
                    csv_times.append(elapsed)
                    copy_csv_view = (size, rows)
        copy_median = statistics.median(copy_times[1:])
        csv_median = statistics.median(csv_times[1:])
        print(
            f"COPY (same SELECT) TO STDOUT WITH CSV: median {copy_median:.2f} s of "
            f"{args.runs} ({copy_rows} rows, {copy_size / 1e6:.1f} MB)"
        )
        print(
            f"CSV through the streaming view: median {csv_median:.2f} s of {args.runs} "
            f"({copy_csv_view[1]} rows, {copy_csv_view[0] / 1e6:.1f} MB) = "
            f"{csv_median / copy_median:.2f} x COPY (target < 5 x)"
        )

        pages = [page_time(fresh(user), "/finanse/rozliczenia/") for _ in range(3)]
        last_page = f"/finanse/rozliczenia/?page={-(-args.rows // 50)}"
        last = [page_time(fresh(user), last_page) for _ in range(3)]
        print(
            f"Register page of 50 rows (count, page keys, page rows, render): first page "
            f"median {statistics.median(pages):.2f} s, last page {statistics.median(last):.2f} s"
        )

        gc.collect()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        tracemalloc.reset_peak()
        traced, _size, _rows = csv_through_the_view(fresh(user))
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(
            f"CSV peak memory (tracemalloc, Python allocations during the whole "
            f"response): {peak / 1e6:.1f} MB (target < 100 MB; {traced:.1f} s traced); "
            f"ru_maxrss {rss_before / 1024:.0f} MB before, {rss_after / 1024:.0f} MB after"
        )

        start = time.perf_counter()
        export = settlement_export_start(
            user=fresh(user), filters=SettlementFilters(), format=Export.Format.XLSX
        )  # not in a transaction: the eager task runs at once
        elapsed = time.perf_counter() - start
        export.refresh_from_db()
        rss_xlsx = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(
            f"XLSX task (eager, in-process): {elapsed:.1f} s for {export.rows_total} rows "
            f"= {export.rows_total / elapsed:.0f} rows/s, {export.file.size / 1e6:.1f} MB, "
            f"status {export.status}; ru_maxrss {rss_xlsx / 1024:.0f} MB after"
        )
        logged = Export.objects.filter(format="csv", status="done").values_list(
            "rows_total", flat=True
        )
        print(f"Export log: {len(logged)} CSV exports of {set(logged)} rows, 1 XLSX")
        print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
