"""Acceptance #15.5: the 360Giving and OCDS outputs of the fixture validate against the
published schemas (kept in ``metropolis/opendata/schemas/``), their amounts equal the
product's figures, and they carry no personal data of natural persons."""

import hashlib
import json
from decimal import Decimal

import pytest

from grants.models import Call
from grants.workflow import ApplicationState
from metropolis.opendata.ocds import release_package
from metropolis.opendata.schemas import ocds_errors, threesixty_errors
from metropolis.opendata.threesixty import grants_package
from purchases.models import Purchase

from .conftest import PERSONAL


def _grants(client, metro, organisation, year):
    response = client.get(f"/otwarte-dane/{organisation.pk}/{year}/360giving.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_the_grants_of_a_year_are_360giving_json_that_validates(client, metro):
    package = _grants(client, metro, metro.alfa, 2026)

    assert threesixty_errors(package) == []
    nip = metro.alfa.nip
    group, ngo = package["grants"]
    assert group["id"] == f"360G-PL-NIP-{nip}-GA-2026-FS1-1"
    assert group["title"] == "Warsztaty dla seniorów"
    assert group["currency"] == "PLN"
    assert group["amountAwarded"] == 3000.0
    assert group["amountDisbursed"] == 3000.0
    assert group["fundingOrganization"] == [{"id": f"PL-NIP-{nip}", "name": "Gmina Alfa"}]
    assert group["recipientIndividual"] == {
        "id": f"360G-PL-NIP-{nip}-GA-2026-FS1-1-IND",
        "name": "Individual Recipient",
    }
    assert "recipientOrganization" not in group
    assert group["beneficiaryLocation"] == [{"name": "Gmina Alfa", "countryCode": "PL"}]
    assert group["plannedDates"] == [{"startDate": "2026-05-01", "endDate": "2026-06-30"}]
    assert group["awardDate"].startswith("2026-11-23T10:00:00")
    assert ngo["recipientOrganization"] == [
        {"id": "PL-KRS-0000123456", "name": "Stowarzyszenie Zielone Podwórko"}
    ]
    assert ngo["amountAwarded"] == 2000.0
    assert ngo["amountDisbursed"] == 0.0


def test_a_metropolis_wide_grant_is_located_in_its_member_municipality(client, metro):
    call = metro.call(metro.metropolis, "FM1", 2026)
    Call.objects.filter(pk=call.pk).update(metropolis_wide=True)
    approved, amount = ApplicationState.APPROVED, Decimal("1000.00")
    metro.application(call, 1, approved, amount, municipality=metro.beta)
    metro.application(
        call, 2, approved, amount, kind="ngo", krs="0000654321", municipality=metro.gamma
    )

    package = _grants(client, metro, metro.metropolis, 2026)

    assert threesixty_errors(package) == []
    funder = [{"id": f"PL-NIP-{metro.metropolis.nip}", "name": "Metropolia Testowa"}]
    assert [(g["fundingOrganization"], g["beneficiaryLocation"]) for g in package["grants"]] == [
        (funder, [{"name": "Gmina Beta", "countryCode": "PL"}]),
        (funder, [{"name": "Gmina Gamma", "countryCode": "PL"}]),
    ]


def test_360giving_amounts_equal_the_product_s_figures(metro):
    from decimal import Decimal

    package = grants_package(metro.alfa, 2026)
    by_id = {g["id"].rsplit("-", 1)[-1]: g for g in package["grants"]}
    for application in (metro.app_group, metro.app_ngo):
        grant = by_id[str(application.sequence)]
        assert Decimal(str(grant["amountAwarded"])) == application.approved_amount
    assert sum(Decimal(str(g["amountAwarded"])) for g in package["grants"]) == Decimal("5000.00")


def test_the_outputs_hold_no_personal_data(client, metro):
    for organisation, year in ((metro.alfa, 2026), (metro.beta, 2025)):
        for kind in ("360giving", "ocds"):
            text = client.get(f"/otwarte-dane/{organisation.pk}/{year}/{kind}.json").content
            text = text.decode()
            for personal in PERSONAL:
                assert personal not in text, (kind, personal)


def test_the_purchases_of_a_year_are_an_ocds_release_package_that_validates(client, metro):
    response = client.get(f"/otwarte-dane/{metro.alfa.pk}/2026/ocds.json")
    package = response.json()

    assert ocds_errors(package) == []
    assert package["version"] == "1.1"
    (release,) = package["releases"]  # the submitted one has not left the office
    assert release["tag"] == ["tender", "award", "contract", "implementation"]
    assert release["initiationType"] == "tender"
    tender = release["tender"]
    assert tender["procurementMethod"] == "direct"
    assert tender["mainProcurementCategory"] == "services"
    assert tender["value"] == {
        "amount": 12300.0,
        "currency": "PLN",
        "amountGross": 12300.0,
        "amountNet": 10000.0,
    }
    (award,) = release["awards"]
    assert award["value"]["amountNet"] == float(metro.paid.awarded_net)
    assert award["value"]["amountGross"] == float(metro.paid.awarded_gross)
    assert award["suppliers"] == [{"id": f"{release['ocid']}-supplier", "name": "osoba fizyczna"}]
    (contract,) = release["contracts"]
    assert contract["status"] == "terminated"
    (transaction,) = contract["implementation"]["transactions"]
    assert transaction["value"] == {
        "amount": 12300.0,
        "currency": "PLN",
        "amountGross": 12300.0,
        "amountNet": 10000.0,
    }
    assert transaction["date"] == "2026-07-10T00:00:00+02:00"


def test_an_ocds_contract_carries_its_annexes_and_a_public_inquiry_is_open(metro):
    package = release_package(metro.beta, 2025)
    assert ocds_errors(package) == []
    (release,) = package["releases"]
    assert release["tag"] == ["tender", "award", "contract"]
    assert release["tender"]["procurementMethod"] == "open"
    assert release["contracts"][0]["value"]["amountNet"] == 65000.0
    assert release["contracts"][0]["value"]["amountGross"] == 79950.0
    supplier = release["parties"][1]
    assert supplier["name"] == "Fundacja Pomocna Dłoń"
    assert supplier["identifier"]["scheme"] == "PL-NIP"


def test_the_validation_can_fail(metro):
    grants = grants_package(metro.alfa, 2026)
    grants["grants"][0]["currency"] = "ZŁ"
    del grants["grants"][1]["recipientOrganization"]
    errors = threesixty_errors(grants)
    assert errors[0] == "grants[0]: 'ZŁ' is not one of " + _enum_text()
    assert errors[1].startswith("grants[1]: ") and errors[1].endswith(
        "is not valid under any of the given schemas"
    )
    assert len(errors) == 2
    package = release_package(metro.alfa, 2026)
    package["releases"][0]["tender"]["procurementMethod"] = "negotiated"
    del package["version"]
    assert ocds_errors(package) == [
        ": 'version' is a required property",
        "releases/0/tender/procurementMethod: 'negotiated' is not one of "
        "['open', 'selective', 'limited', 'direct', None]",
    ]


def test_a_language_variant_is_checked_by_the_published_ocds_schema(metro):
    package = release_package(metro.alfa, 2026)
    package["releases"][0]["tender"]["title_pl"] = 5
    package["releases"][0]["tender"]["title_en"] = "Catering"
    assert ocds_errors(package) == ["releases/0/tender/title_pl: 5 is not of type 'string', 'null'"]


def test_the_schemas_are_the_published_files_verbatim():
    from metropolis.opendata.schemas import FOLDER

    digests = {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(FOLDER.glob("*.json"))
    }
    assert digests == {
        "360-giving-schema.json": (
            "a60f79437e98cc2810ae9d053b43b1a81ad34a3719761c6577ed02896fda2843"
        ),
        "ocds-1.1.5-release-package-schema.json": (
            "e57297e9302b122711170f1dc6b79e6a32a24300398cf7e184df5d5f9f79c6d5"
        ),
        "ocds-1.1.5-release-schema.json": (
            "9e1385d45cbce197b05dfbf666c315602879322476f8be9e3e83fa5b3a0ceb4a"
        ),
    }
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    for digest in digests.values():
        assert f"`{digest}`" in readme


def _enum_text():
    from metropolis.opendata.schemas import load

    return repr(load("360-giving-schema.json")["definitions"]["currency"]["enum"])


@pytest.mark.parametrize("kind", ["360giving", "ocds"])
def test_the_api_gives_the_same_documents_and_404_for_what_does_not_exist(client, metro, kind):
    public = client.get(f"/otwarte-dane/{metro.alfa.pk}/2026/{kind}.json").json()
    api = client.get(f"/api/v1/open-data/{metro.alfa.pk}/2026/{kind}/").json()
    if kind == "ocds":
        for document in (public, api):
            document.pop("uri")
            document.pop("publishedDate")
    assert json.dumps(api, sort_keys=True) == json.dumps(public, sort_keys=True)
    assert client.get(f"/api/v1/open-data/999999/2026/{kind}/").status_code == 404
    assert client.get(f"/api/v1/open-data/{metro.alfa.pk}/1999/{kind}/").status_code == 404
    assert client.get(f"/otwarte-dane/{metro.alfa.pk}/1999/{kind}.json").status_code == 404


def test_the_open_data_index_lists_organisations_and_years(
    client, metro, django_assert_num_queries
):
    with django_assert_num_queries(3):
        response = client.get("/otwarte-dane/")
    assert response.status_code == 200
    text = response.content.decode()
    assert f"/otwarte-dane/{metro.beta.pk}/2025/ocds.json" in text
    assert f"/otwarte-dane/{metro.alfa.pk}/2026/360giving.json" in text


def test_the_ocid_prefix_is_a_setting(metro, settings):
    settings.OPEN_DATA_OCID_PREFIX = "ocds-abc123"
    (release,) = release_package(metro.beta, 2025)["releases"]
    assert release["ocid"] == f"ocds-abc123-PL-NIP-{metro.beta.nip}-{metro.running.pk}"


def test_the_open_data_queries_do_not_grow_with_the_rows(client, metro):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for kind in ("360giving", "ocds"):
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/otwarte-dane/{metro.alfa.pk}/2026/{kind}.json")
        counts[kind] = len(queries)
    for n in (4, 5):  # two more awarded applications of a group, with members
        application = metro.application(metro.call_a, n, "approved", Decimal("100.00"))
        metro.members(application, ["Ktoś Inny"])
        metro.agreement(application, "settled", True)
    extra = metro.purchase(
        metro.alfa,
        metro.paid.band,
        "awarded",
        9,
        2026,
        awarded_net=Decimal("500.00"),
        awarded_gross=Decimal("615.00"),
        awarded_at=metro.paid.awarded_at,
    )
    Purchase.objects.filter(pk=extra.pk).update(awarded_offer=metro.paid.awarded_offer)
    for kind in ("360giving", "ocds"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/otwarte-dane/{metro.alfa.pk}/2026/{kind}.json")
        assert len(queries) == counts[kind], kind
    assert len(response.json()["releases"]) == 2
    assert ocds_errors(response.json()) == []
