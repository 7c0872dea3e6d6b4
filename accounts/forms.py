"""Forms of the self-administration pages: what a person types, checked before a
service is asked; the services check again and their refusals land at the fields."""

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Role, User
from .preferences import MESSAGE_KINDS


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role to give"), choices=Role.choices)


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") != data["password1"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "short_name", "street", "postal_code", "city", "nip", "regon", "logo"]

    def _post_clean(self):
        """Validation is the service's (``organisation_update``): it reports at the fields."""


class RepresentativeForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    function = forms.CharField(label=_("Function"), max_length=200)


RepresentativeFormSet = forms.formset_factory(
    RepresentativeForm, extra=1, can_delete=True, max_num=10
)


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    language = forms.ChoiceField(
        label=_("Language of messages"),
        choices=[("", _("Polish (default)")), *settings.LANGUAGES],
        required=False,
    )
    wants_optional_messages = forms.BooleanField(
        label=_("Send me also messages that are not required (status updates)"),
        required=False,
        help_text=_("Deadlines and decisions are always sent."),
    )
    wanted_kinds = forms.MultipleChoiceField(
        label=_("Optional messages I want"),
        choices=MESSAGE_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    @classmethod
    def initial_for(cls, user: User) -> dict:
        return {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "wants_optional_messages": user.wants_optional_messages,
            "wanted_kinds": [k for k, _l in MESSAGE_KINDS if k not in user.muted_message_kinds],
        }

    def service_fields(self) -> dict:
        data = self.cleaned_data
        wanted = set(data["wanted_kinds"])
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "language": data["language"],
            "wants_optional_messages": data["wants_optional_messages"],
            "muted_message_kinds": [k for k, _l in MESSAGE_KINDS if k not in wanted],
        }
