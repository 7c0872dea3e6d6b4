"""The budget classification: loaded from a CSV file by a management command, versioned
by budget year, and a call or purchase points at a line of its own year."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Role
from finance.models import BudgetClassification
from finance.services.classification import SAMPLE_CSV
from grants import services as grant_services
from grants.models import Call
from tests.grants.conftest import api
from tests.purchases.factories import GroupFactory, purchase_draft, user_with
from workflows.errors import InvalidInput

from .budget_support import classification, plan

pytestmark = pytest.mark.django_db

HEADER = "dział;rozdział;paragraf;nazwa\n"


def load(path, year: int, *extra) -> str:
    out = io.StringIO()
    call_command("load_classification", str(path), "--year", str(year), *extra, stdout=out)
    return out.getvalue()


def codes(year: int) -> dict[str, str]:
    return {line.code: line.name for line in BudgetClassification.objects.filter(year=year)}


def write(tmp_path, text: str, *, encoding="utf-8", name="plik.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_the_sample_loads_and_loading_it_again_changes_nothing():
    assert load(SAMPLE_CSV, 2026) == (
        "Klasyfikacja budżetowa 2026: dodano 24, zmieniono nazwę 0, bez zmian 0.\n"
    )
    ids = dict(BudgetClassification.objects.values_list("pk", "name"))

    assert load(SAMPLE_CSV, 2026) == (
        "Klasyfikacja budżetowa 2026: dodano 0, zmieniono nazwę 0, bez zmian 24.\n"
    )
    assert dict(BudgetClassification.objects.values_list("pk", "name")) == ids
    lines = codes(2026)
    assert len(lines) == 24
    # DOMAIN.md section 5: the common paragraphs and chapters are in the sample.
    for code in [
        "921-92105-2360",
        "921-92105-2810",
        "921-92105-2820",
        "921-92105-4300",
        "921-92105-2910",
        "921-92105-2950",
        "921-92105-0900",
        "926-92605-2360",
        "851-85154-4300",
        "750-75095-4300",
    ]:
        assert code in lines
    assert lines["921-92105-2950"] == (
        "Pozostałe zadania w zakresie kultury: zwroty niewykorzystanych dotacji"
    )


def test_a_reload_renames_lines_in_place_and_adds_new_ones(tmp_path, organisation, official):
    first = write(tmp_path, HEADER + "921;92105;2360;Dotacje na kulturę\n")
    load(first, 2026)
    line = BudgetClassification.objects.get(year=2026, chapter="92105", paragraph="2360")
    call = grant_services.call_create(
        organisation=organisation,
        actor=official,
        procedure=Call.Procedure.NEIGHBOURHOOD_FUND,
        code="FS1",
        title="Fundusz",
        year=2026,
        pool=Decimal("1000.00"),
        max_grant=Decimal("500.00"),
        max_duration_days=30,
        opens_at=timezone.now(),
        closes_at=timezone.now() + datetime.timedelta(days=5),
        classification=line,
    )
    second = write(
        tmp_path,
        HEADER
        + "921;92105;2360;Dotacja celowa dla organizacji pożytku publicznego\n"
        + "926;92605;2360;Dotacja na sport\n",
        name="drugi.csv",
    )

    assert load(second, 2026) == (
        "Klasyfikacja budżetowa 2026: dodano 1, zmieniono nazwę 1, bez zmian 0.\n"
    )
    call.refresh_from_db()
    assert call.classification_id == line.pk
    assert codes(2026) == {
        "921-92105-2360": "Dotacja celowa dla organizacji pożytku publicznego",
        "926-92605-2360": "Dotacja na sport",
    }


def test_the_same_code_in_two_years_is_two_lines():
    load(SAMPLE_CSV, 2026)
    load(SAMPLE_CSV, 2027)

    rows = BudgetClassification.objects.filter(chapter="92105", paragraph="2360").order_by("year")
    assert [(row.year, row.code) for row in rows] == [
        (2026, "921-92105-2360"),
        (2027, "921-92105-2360"),
    ]
    assert rows[0].pk != rows[1].pk
    assert BudgetClassification.objects.count() == 48


def test_a_byte_order_mark_and_commas_are_accepted(tmp_path):
    path = write(
        tmp_path,
        "\ufeffdział,rozdział,paragraf,nazwa\r\n"
        '851,85154,4300,"Przeciwdziałanie alkoholizmowi, usługi"\r\n',
    )

    assert load(path, 2026) == (
        "Klasyfikacja budżetowa 2026: dodano 1, zmieniono nazwę 0, bez zmian 0.\n"
    )
    assert codes(2026) == {"851-85154-4300": "Przeciwdziałanie alkoholizmowi, usługi"}


def test_a_bad_file_loads_nothing_and_names_each_bad_line(tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "921;92105;2360;Dobra pozycja\n"
        + "921;92605;4300;Rozdział z innego działu\n"
        + "921;92105;23a0;Zły paragraf\n"
        + "92;92105;4300;Krótki dział\n"
        + "921;92105;2360;Powtórzona pozycja\n"
        + "921;92105;4210\n",
    )

    with pytest.raises(CommandError) as caught:
        load(path, 2026)

    assert str(caught.value).split("\n") == [
        "Klasyfikacji nie wczytano – błędy: 5.",
        "wiersz 3: rozdział 92605 nie należy do działu 921.",
        "wiersz 4: paragraf musi mieć 4 cyfry, a nie „23a0”.",
        "wiersz 5: dział musi mieć 3 cyfry, a nie „92”.",
        "wiersz 6: 921-92105-2360 jest już w wierszu 2.",
        "wiersz 7: oczekiwano 4 pól (dział, rozdział, paragraf, nazwa), jest 3.",
    ]
    assert BudgetClassification.objects.count() == 0


def test_a_wrong_header_or_encoding_is_refused(tmp_path):
    with pytest.raises(CommandError) as caught:
        load(write(tmp_path, "section;chapter;paragraph;name\n921;92105;2360;X\n"), 2026)
    assert str(caught.value).split("\n")[-1] == (
        "wiersz 1: nagłówek musi mieć postać „dział;rozdział;paragraf;nazwa”."
    )

    with pytest.raises(CommandError) as caught:
        load(write(tmp_path, HEADER + "921;92105;2360;Zażółć\n", encoding="cp1250"), 2026)
    assert str(caught.value).split("\n")[-1] == "Plik nie jest tekstem w kodowaniu UTF-8."
    assert BudgetClassification.objects.count() == 0


def test_prune_deletes_only_lines_nothing_uses(tmp_path, organisation):
    finance = user_with(organisation, Role.FINANCE)
    load(
        write(
            tmp_path,
            HEADER + "921;92105;2360;W planie\n921;92105;4300;Nieużywana\n926;92605;2360;Zostaje\n",
        ),
        2027,
    )
    used = BudgetClassification.objects.get(year=2027, paragraph="2360", chapter="92105")
    plan(organisation, used, "100.00", finance)

    smaller = write(tmp_path, HEADER + "926;92605;2360;Zostaje\n", name="b.csv")
    output = load(smaller, 2027, "--prune")

    assert output.split("\n")[1] == (
        "Usunięto pozycje nieobecne w pliku: 1; pozostawiono używane: 921-92105-2360."
    )
    assert set(codes(2027)) == {"921-92105-2360", "926-92605-2360"}


def test_a_call_or_purchase_takes_a_line_of_its_own_budget_year(organisation, official):
    line_2027 = classification("921-92105-2360", year=2027)
    fields = {
        "procedure": Call.Procedure.NEIGHBOURHOOD_FUND,
        "code": "FS1",
        "title": "Fundusz",
        "year": 2026,
        "pool": Decimal("1000.00"),
        "max_grant": Decimal("500.00"),
        "max_duration_days": 30,
        "opens_at": timezone.now(),
        "closes_at": timezone.now() + datetime.timedelta(days=5),
    }
    expected = (
        "Wybierz pozycję klasyfikacji budżetowej na 2026 r.; 921-92105-2360 to pozycja z 2027 r."
    )
    with pytest.raises(ValidationError) as caught:
        grant_services.call_create(
            organisation=organisation, actor=official, classification=line_2027, **fields
        )
    assert caught.value.message_dict == {"classification": [expected]}

    response = api(official).post(
        "/api/v1/grant-calls/",
        {
            **fields,
            "organisation": organisation.pk,
            "classification": line_2027.pk,
            "opens_at": fields["opens_at"].isoformat(),
            "closes_at": fields["closes_at"].isoformat(),
        },
        format="json",
    )
    assert (response.status_code, response.json()["errors"]) == (
        400,
        {"classification": [expected]},
    )

    group = GroupFactory(organisation=organisation)
    with pytest.raises(InvalidInput) as caught:
        purchase_draft(
            organisation=organisation, official=official, group=group, classification=line_2027
        )
    assert caught.value.field_errors == {"classification": [expected]}
    line_2026 = classification("921-92105-4300", year=2026)
    purchase = purchase_draft(
        organisation=organisation, official=official, group=group, classification=line_2026
    )
    assert (purchase.year, purchase.classification.year) == (2026, 2026)
