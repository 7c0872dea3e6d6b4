"""The form of the budget classification upload: the year and the file."""

from django import forms
from django.utils.translation import gettext_lazy

from ..services.classification import FIRST_YEAR, LAST_YEAR

CLASSIFICATION_MAX_BYTES = 2 * 1024 * 1024


class ClassificationUploadForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("budget year"), min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "UTF-8, header “dział;rozdział;paragraf;nazwa”, one line of the classification a row."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > CLASSIFICATION_MAX_BYTES:
            raise forms.ValidationError(
                gettext_lazy("The file is larger than 2 MB."), code="too_large"
            )
        return upload
