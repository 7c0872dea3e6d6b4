"""``FieldsBuiltOnceMixin``: a model serializer's fields built once per class (#18)."""

import pytest
from rest_framework import serializers

from grants.api.applications import ApplicationSerializer, BudgetLineSerializer

pytestmark = pytest.mark.django_db


def test_the_fields_are_built_from_the_model_once_and_each_instance_has_its_own(monkeypatch):
    assert "unit_cost" in BudgetLineSerializer().fields  # built and kept, whichever test ran
    built = []
    build_field = serializers.ModelSerializer.build_field
    monkeypatch.setattr(
        serializers.ModelSerializer,
        "build_field",
        lambda self, *args: built.append(args[0]) or build_field(self, *args),
    )

    first, second = BudgetLineSerializer(), BudgetLineSerializer()

    assert list(first.fields) == list(BudgetLineSerializer.Meta.fields)
    assert built == []
    assert first.fields["unit_cost"] is not second.fields["unit_cost"]
    assert first.fields["unit_cost"].parent is first
    assert second.fields["unit_cost"].parent is second
    assert (first.fields["unit_cost"].max_digits, first.fields["unit_cost"].decimal_places) == (
        12,
        2,
    )


def test_an_instance_changing_its_fields_leaves_the_next_instance_s_alone():
    changed = ApplicationSerializer()
    changed.fields["title"].read_only = False
    changed.fields.pop("members")

    again = ApplicationSerializer()

    assert again.fields["title"].read_only is True
    assert "members" in again.fields
    assert again.fields["members"].child.parent is again.fields["members"]
