"""Forms of the metropolis pages: the figures' year, the catalogue's filters, a
practice to publish and a programme to publish."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from areas.models import Area

from .models import COST_BANDS, Form, GoodPractice

COST_BAND_LABELS = {
    "to_2000": _("up to 2 000 zł"),
    "2000_5000": _("2 000 – 5 000 zł"),
    "5000_10000": _("5 000 – 10 000 zł"),
    "over_10000": _("over 10 000 zł"),
}


class FiguresFilterForm(forms.Form):
    year = forms.IntegerField(label=_("year"), required=False, min_value=2000, max_value=2100)


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("search"), required=False, max_length=200)
    municipality = forms.ModelChoiceField(
        label=_("municipality"),
        required=False,
        queryset=Organisation.objects.filter(good_practices__isnull=False).distinct(),
        empty_label=_("all"),
    )
    area = forms.ModelChoiceField(
        label=_("area of public tasks"),
        required=False,
        queryset=Area.objects.all(),
        empty_label=_("all"),
    )
    form = forms.ChoiceField(
        label=_("form"), required=False, choices=[("", _("all")), *Form.choices]
    )
    cost_band = forms.ChoiceField(
        label=_("cost"),
        required=False,
        choices=[("", _("all")), *((k, COST_BAND_LABELS[k]) for k in COST_BANDS)],
    )
    year = forms.IntegerField(label=_("year"), required=False, min_value=2000, max_value=2100)


class PracticeForm(forms.ModelForm):
    consent = forms.BooleanField(
        label=_("The grantee consented to the publication"),
        help_text=_("Record how and when below; the consent stays in the file."),
    )
    photo = forms.ImageField(label=_("photo"), required=False)
    photo_caption = forms.CharField(label=_("caption of the photo"), required=False, max_length=255)
    people_consented = forms.BooleanField(
        label=_("The people shown in the photo consented to its publication"), required=False
    )

    class Meta:
        model = GoodPractice
        fields = [
            "title",
            "what_was_done",
            "for_whom",
            "results",
            "cost",
            "sources",
            "area",
            "form",
            "model_used",
            "year",
            "consent_note",
            "consent_given_on",
        ]
        widgets = {"consent_given_on": forms.DateInput(attrs={"type": "date"})}

    def clean(self):
        data = super().clean()
        if data.get("photo") and not data.get("people_consented"):
            self.add_error("people_consented", _("A photo needs the consent of the people shown."))
        return data


class ProgrammeForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=255)
    description = forms.CharField(label=_("description"), widget=forms.Textarea, required=False)
    documents = forms.CharField(
        label=_("documents"),
        widget=forms.Textarea,
        required=False,
        help_text=_("The documents an applicant submits, one a line."),
    )
