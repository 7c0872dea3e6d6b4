"""HTML forms of the purchase pages; the services validate again and own the rules."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import NOT_IN_USE, Area
from attachments.forms import ACCEPT, file_help_text
from finance.models import BudgetClassification
from workflows.versioning import VersionFormMixin

from .models import SUPPLIER_FIELDS, Offer, Purchase, SameKindGroup, Supplier
from .services import DRAFT_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def money_field(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=12, decimal_places=2, min_value=Decimal("0.01"), **kwargs
    )


class PurchaseForm(VersionFormMixin, forms.Form):
    requesting_unit = forms.CharField(label=_("requesting unit"), max_length=200)
    area = forms.ModelChoiceField(
        label=_("area of public tasks"),
        queryset=Area.objects.none(),
        required=False,
        error_messages={"invalid_choice": NOT_IN_USE},
    )
    title = forms.CharField(label=_("title"), max_length=255)
    expected_result = forms.CharField(
        label=_("expected result"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The effect to be delivered, not the effort."),
    )
    group = forms.ModelChoiceField(
        label=_("same-kind group"), queryset=SameKindGroup.objects.none()
    )
    cpv_code = forms.CharField(
        label=_("CPV code"), max_length=10, help_text=_("For example 80500000-9.")
    )
    estimated_net = money_field(_("estimated value, net (PLN)"))
    vat_rate = forms.ChoiceField(label=_("VAT rate"), choices=Purchase.VatRate.choices)
    estimation_method = forms.CharField(
        label=_("how the value was estimated"), widget=forms.Textarea(attrs={"rows": 2})
    )
    estimated_on = forms.DateField(label=_("estimated on"), widget=DateInput())
    estimated_by = forms.CharField(label=_("estimated by"), max_length=200)
    classification = forms.ModelChoiceField(
        label=_("budget classification"),
        queryset=BudgetClassification.objects.all(),
        required=False,
    )
    legal_basis = forms.ChoiceField(label=_("legal basis"), choices=Purchase.LegalBasis.choices)
    planned_start = forms.DateField(label=_("planned start"), widget=DateInput())
    planned_end = forms.DateField(label=_("planned end"), widget=DateInput())
    price_weight = forms.DecimalField(
        label=_("weight of the price criterion (%)"),
        max_digits=5,
        decimal_places=2,
        initial=100,
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
    )
    other_name = forms.CharField(label=_("other criterion: name"), max_length=200, required=False)
    other_weight = forms.DecimalField(
        label=_("other criterion: weight (%)"), max_digits=5, decimal_places=2, required=False
    )
    other_description = forms.CharField(
        label=_("other criterion: what the supplier states"), max_length=500, required=False
    )

    def __init__(self, *args, organisation_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = SameKindGroup.objects.filter(
            organisation_id__in=organisation_ids
        ).order_by("name")
        # An area in use, or the one the need already carries (``Area.objects.active``).
        self.fields["area"].queryset = Area.objects.active(keeping=self.initial.get("area"))

    def clean(self):
        data = super().clean()
        name, weight = data.get("other_name"), data.get("other_weight")
        if bool(name) != (weight is not None):
            self.add_error("other_weight", _("Give both the name and the weight, or neither."))
        return data

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        criteria = [{"name": "cena", "weight": data.pop("price_weight"), "is_price": True}]
        name, weight = data.pop("other_name"), data.pop("other_weight")
        description = data.pop("other_description")
        if name:
            criteria.append({"name": name, "weight": weight, "description": description})
        return {**data, "criteria": criteria}

    @staticmethod
    def initial_for(purchase: Purchase) -> dict:
        initial = {name: getattr(purchase, name) for name in DRAFT_FIELDS}
        for criterion in purchase.criteria.all():
            if criterion.is_price:
                initial["price_weight"] = criterion.weight
            else:
                initial.update(
                    other_name=criterion.name,
                    other_weight=criterion.weight,
                    other_description=criterion.description,
                )
        return initial


class SupplierForm(forms.ModelForm):
    class Meta:
        model = Supplier
        fields = SUPPLIER_FIELDS

    def _post_clean(self):
        # The registry's uniqueness is the service's to check (with the organisation).
        pass


class PublicSupplierForm(forms.Form):
    name = forms.CharField(label=_("supplier's name"), max_length=255)
    kind = forms.ChoiceField(label=_("kind"), choices=Supplier.Kind.choices)
    nip = forms.CharField(label=_("NIP"), max_length=13, required=False)
    address = forms.CharField(label=_("address"), max_length=255)
    email = forms.EmailField(label=_("e-mail address"))
    bank_account = forms.CharField(label=_("bank account (NRB)"), max_length=40, required=False)


class OfferForm(forms.Form):
    """Price, answers to the purchase's non-price criteria and attachments."""

    price_net = money_field(_("price, net (PLN)"))
    price_gross = money_field(_("price, gross (PLN)"))
    attachments = MultipleFileField(label=_("attachments"))

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        # What the service accepts (``attachments.services.attachment_check``).
        self.fields["attachments"].widget.attrs["accept"] = ACCEPT
        self.fields["attachments"].help_text = file_help_text()
        self.criteria = [c for c in criteria if not c.is_price]
        for criterion in self.criteria:
            self.fields[f"answer_{criterion.pk}"] = forms.DecimalField(
                label=criterion.name,
                help_text=criterion.description,
                min_value=Decimal(0),
                max_digits=12,
                decimal_places=2,
            )
        # Attachments last.
        self.fields["attachments"] = self.fields.pop("attachments")

    def answers(self) -> dict:
        return {str(c.pk): str(self.cleaned_data[f"answer_{c.pk}"]) for c in self.criteria}


class OfferRecordForm(OfferForm):
    supplier = forms.ModelChoiceField(label=_("supplier"), queryset=Supplier.objects.none())
    channel = forms.ChoiceField(
        label=_("received"),
        choices=[(Offer.Channel.PAPER, _("on paper")), (Offer.Channel.EMAIL, _("by e-mail"))],
    )
    submitted_at = forms.DateTimeField(label=_("received at"), widget=DateTimeInput())

    def __init__(self, *args, organisation_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.filter(organisation_id=organisation_id)
        order = ["supplier", "channel", "submitted_at"]
        self.fields = {
            k: self.fields[k] for k in order + [k for k in self.fields if k not in order]
        }


class RegisterFilterForm(forms.Form):
    year = forms.IntegerField(
        label=_("year"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("This year unless you choose another; leave it empty for every year."),
    )
    state = forms.ChoiceField(label=_("state"), required=False)
    group = forms.ModelChoiceField(
        label=_("same-kind group"), queryset=SameKindGroup.objects.none(), required=False
    )
    procedure = forms.ChoiceField(label=_("procedure"), required=False)
    q = forms.CharField(label=_("title or number contains"), required=False, max_length=100)

    def __init__(self, *args, organisation_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        from .models import ValueBand
        from .workflow import PurchaseState

        self.fields["state"].choices = [("", _("any")), *PurchaseState.choices]
        self.fields["procedure"].choices = [("", _("any")), *ValueBand.Procedure.choices]
        self.fields["group"].queryset = SameKindGroup.objects.filter(
            organisation_id__in=organisation_ids
        ).order_by("name")


class ValueBandForm(forms.Form):
    """A value band, or a new version of one, from a date; the service checks the date
    and that bands in force at the same time do not overlap."""

    valid_from = forms.DateField(label=_("in force from"), widget=DateInput())
    lower_net = forms.DecimalField(
        label=_("from (aggregated net, inclusive)"), max_digits=12, decimal_places=2, min_value=0
    )
    upper_net = forms.DecimalField(
        label=_("below (aggregated net, exclusive)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("Empty: no upper bound."),
    )
    procedure = forms.ChoiceField(label=_("procedure"))
    suppliers_to_ask = forms.IntegerField(label=_("suppliers to ask"), min_value=0, max_value=99)
    min_offers = forms.IntegerField(label=_("minimum number of offers"), min_value=0, max_value=99)
    publication_days = forms.IntegerField(
        label=_("publication period in days"), min_value=0, max_value=365
    )
    required_documents = forms.MultipleChoiceField(
        label=_("required documents"), required=False, widget=forms.CheckboxSelectMultiple
    )
    regulation = forms.CharField(label=_("regulation"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        from .models import ValueBand

        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = ValueBand.Procedure.choices
        self.fields["required_documents"].choices = ValueBand.DocumentKind.choices


class ValueBandEndForm(forms.Form):
    valid_to = forms.DateField(label=_("last day in force"), widget=DateInput())


class SameKindGroupForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    cpv_codes = forms.CharField(
        label=_("CPV codes"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line; a code covers the codes below it (80500000-9)."),
    )

    def clean_cpv_codes(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["cpv_codes"].split() if line.strip()]
