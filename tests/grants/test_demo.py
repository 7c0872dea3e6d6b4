import pytest
from django.core.management import call_command

from grants.models import Application, Call

pytestmark = pytest.mark.django_db


def test_demo_data_has_calls_and_an_application_in_every_state():
    call_command("load_demo")
    call_command("load_demo")

    assert Call.objects.count() == 2
    states = set(Application.objects.values_list("state", flat=True))
    assert states == {
        "draft",
        "submitted",
        "corrections_requested",
        "formally_rejected",
        "formally_accepted",
        "evaluated",
        "reserve",
        "rejected",
        "withdrawn",
        "budget_revision",
        "approved",
    }
    assert Application.objects.get(state="approved").agreement.state == "in_implementation"
