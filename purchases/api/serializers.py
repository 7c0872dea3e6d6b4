"""Representations of the purchase API; offers sealed until their deadline."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from areas.models import NOT_IN_USE, Area
from documents.selectors import documents_of
from finance.models import BudgetClassification
from workflows.api import WorkflowSerializerMixin
from workflows.errors import InvalidInput

from .. import selectors
from ..models import SUPPLIER_FIELDS, Criterion, Offer, Purchase, SameKindGroup, Supplier, ValueBand
from ..workflow import PurchaseState


class PurchaseCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name", "weight", "is_price", "description"]


class PurchaseListSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(read_only=True)
    group = serializers.CharField(source="group.name")
    procedure = serializers.CharField(source="band.procedure", default=None, allow_null=True)
    supplier = serializers.CharField(
        source="awarded_offer.supplier.name", default=None, allow_null=True
    )

    class Meta:
        model = Purchase
        fields = [
            "id",
            "number",
            "organisation",
            "title",
            "requesting_unit",
            "group",
            "cpv_code",
            "year",
            "estimated_net",
            "estimated_gross",
            "aggregated_net",
            "procedure",
            "supplier",
            "awarded_net",
            "awarded_gross",
            "state",
            "state_label",
        ]


class PurchaseSerializer(WorkflowSerializerMixin, serializers.ModelSerializer):
    criteria = PurchaseCriterionSerializer(many=True, read_only=True)
    # Empty until the award: the schema's enum must include "" (DRF leaves it out of a
    # read-only choice field).
    contract_form = serializers.ChoiceField(
        choices=[("", "—"), *Purchase.ContractForm.choices], read_only=True
    )
    procedure = serializers.CharField(source="band.procedure", default=None, allow_null=True)
    supplier = serializers.CharField(
        source="awarded_offer.supplier.name", default=None, allow_null=True
    )
    documents = serializers.SerializerMethodField()

    class Meta:
        model = Purchase
        fields = [
            "id",
            "number",
            "version",
            "organisation",
            "requesting_unit",
            "area",
            "title",
            "expected_result",
            "group",
            "cpv_code",
            "estimated_net",
            "vat_rate",
            "estimated_gross",
            "estimation_method",
            "estimated_on",
            "estimated_by",
            "classification",
            "legal_basis",
            "planned_start",
            "planned_end",
            "year",
            "criteria",
            "band",
            "procedure",
            "aggregated_net",
            "aggregation",
            "threshold_refusal",
            "threshold_override",
            "funds_confirmed_at",
            "approved_at",
            "quote_deadline",
            "published_at",
            "awarded_offer",
            "supplier",
            "awarded_net",
            "awarded_gross",
            "annexes_net",
            "annexes_gross",
            "contract_form",
            "signed_on",
            "delivered_on",
            "accepted_on",
            "accepted_scope",
            "acceptance_partial",
            "acceptance_defects",
            "accepted_net",
            "paid_on",
            "cancel_reason",
            "documents",
            "state",
            "state_label",
            "transitions",
        ]
        read_only_fields = fields

    def get_documents(self, purchase) -> list[dict]:
        return [
            {
                "id": d.pk,
                "kind": d.kind,
                "version": d.version,
                "title": d.title,
                "number": d.number,
                "url": f"/documents/{d.pk}/download/",
            }
            for d in documents_of(purchase)
        ]


class PurchaseWriteSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(required=False)
    requesting_unit = serializers.CharField(max_length=200)
    area = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.active(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": NOT_IN_USE, "incorrect_type": NOT_IN_USE},
    )
    title = serializers.CharField(max_length=255)
    expected_result = serializers.CharField()
    group = serializers.IntegerField()
    cpv_code = serializers.CharField(max_length=10)
    estimated_net = serializers.DecimalField(max_digits=12, decimal_places=2)
    vat_rate = serializers.ChoiceField(choices=Purchase.VatRate.choices)
    estimation_method = serializers.CharField()
    estimated_on = serializers.DateField()
    estimated_by = serializers.CharField(max_length=200)
    classification = serializers.IntegerField(required=False, allow_null=True)
    legal_basis = serializers.ChoiceField(choices=Purchase.LegalBasis.choices)
    planned_start = serializers.DateField()
    planned_end = serializers.DateField()
    criteria = PurchaseCriterionSerializer(many=True, required=False)

    def __init__(self, *args, area_kept=None, **kwargs):
        super().__init__(*args, **kwargs)
        # An area in use, or the one the need already carries (``Area.objects.active``).
        self.fields["area"].queryset = Area.objects.active(keeping=area_kept)

    def resolved(self, organisation_id: int) -> dict:
        data = dict(self.validated_data)
        data.pop("organisation", None)
        if "group" in data:
            group = SameKindGroup.objects.filter(pk=data["group"], organisation_id=organisation_id)
            data["group"] = group.first()
            if data["group"] is None:
                raise InvalidInput(
                    field_errors={"group": [_("Choose a group of your organisation.")]}
                )
        if data.get("classification"):
            data["classification"] = BudgetClassification.objects.filter(
                pk=data["classification"]
            ).first()
        if "criteria" in data:
            data["criteria"] = [dict(c) for c in data["criteria"]]
        return data


class PurchaseOfferSerializer(serializers.ModelSerializer):
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    sealed = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = Offer
        fields = [
            "id",
            "purchase",
            "supplier",
            "supplier_name",
            "channel",
            "submitted_at",
            "sealed",
            "price_net",
            "price_gross",
            "answers",
            "score",
            "rejected",
            "rejection_reason",
            "attachments",
        ]

    SEALED = ("price_net", "price_gross", "answers", "score")

    def get_sealed(self, offer) -> bool:
        return not selectors.offer_is_open(offer)

    def get_attachments(self, offer) -> list[dict]:
        return [
            {"id": a.pk, "name": a.original_name, "content_type": a.content_type, "size": a.size}
            for a in offer.attachments.all()
        ]

    def to_representation(self, offer):
        data = super().to_representation(offer)
        if data["sealed"]:
            for name in self.SEALED:
                data[name] = None
            data["attachments"] = []
        return data


class PurchaseOfferRecordSerializer(serializers.Serializer):
    supplier = serializers.IntegerField()
    channel = serializers.ChoiceField(choices=[Offer.Channel.PAPER, Offer.Channel.EMAIL])
    price_net = serializers.DecimalField(max_digits=12, decimal_places=2)
    price_gross = serializers.DecimalField(max_digits=12, decimal_places=2)
    submitted_at = serializers.DateTimeField(required=False)
    answers = serializers.DictField(child=serializers.CharField(), required=False)
    attachments = serializers.ListField(child=serializers.FileField(), required=False)


class PurchaseAnnexSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=100)
    signed_on = serializers.DateField()
    net_change = serializers.DecimalField(max_digits=12, decimal_places=2)
    gross_change = serializers.DecimalField(max_digits=12, decimal_places=2)
    reason = serializers.CharField()


class OfferRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class PurchaseListQuerySerializer(serializers.Serializer):
    """The list's filters (``?year=2026&state=draft&organisation=<id>``)."""

    year = serializers.IntegerField(required=False, min_value=1, max_value=9999)
    state = serializers.ChoiceField(choices=PurchaseState.choices, required=False)
    organisation = serializers.IntegerField(required=False, min_value=1)


class SupplierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Supplier
        fields = ["id", "organisation", *SUPPLIER_FIELDS]
        read_only_fields = ["organisation"]
        # Uniqueness and identifiers are checked by the service, with Polish messages.
        validators = []
        extra_kwargs = {
            "nip": {"validators": []},
            "regon": {"validators": []},
            "krs": {"validators": []},
            "bank_account": {"validators": [], "max_length": 40},
        }


class PurchaseGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = SameKindGroup
        fields = ["id", "organisation", "name", "cpv_codes"]


class ValueBandSerializer(serializers.ModelSerializer):
    class Meta:
        model = ValueBand
        fields = [
            "id",
            "organisation",
            "valid_from",
            "valid_to",
            "lower_net",
            "upper_net",
            "procedure",
            "suppliers_to_ask",
            "min_offers",
            "publication_days",
            "required_documents",
            "regulation",
        ]
