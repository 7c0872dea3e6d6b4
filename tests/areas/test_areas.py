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


def test_the_areas_to_choose_are_those_in_use_and_the_one_already_chosen():
    Area.objects.filter(code__in=["sport", "culture"]).update(active=False)
    sport = Area.objects.get(code="sport")

    in_use = set(Area.objects.active().values_list("code", flat=True))
    keeping = set(Area.objects.active(keeping=sport).values_list("code", flat=True))

    assert len(in_use) == 7 and {"sport", "culture"}.isdisjoint(in_use)
    assert keeping == in_use | {"sport"}
    assert set(Area.objects.active(keeping=sport.pk).values_list("code", flat=True)) == keeping
