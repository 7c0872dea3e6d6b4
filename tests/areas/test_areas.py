import pytest
from django.utils import translation

from areas.models import Area

pytestmark = pytest.mark.django_db


def test_the_nine_areas_of_the_project_are_the_default_list():
    assert Area.objects.active().count() == 9
    first = Area.objects.first()
    assert first.code == "education"
    with translation.override("pl"):
        assert str(first) == "edukacja i wychowanie"
    with translation.override("en"):
        assert str(first) == "education and upbringing"
    assert list(Area.objects.values_list("code", flat=True))[-1] == "spatial-planning"
