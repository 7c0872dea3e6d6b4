"""Optimistic concurrency for editable resources (a draft application, a call, a
purchase's need, a budget plan line).

Each such row has an integer ``version`` that its service raises on every edit. A
client says which version it edited: the API with ``If-Match`` (the detail answers
with the version as its ``ETag``), the pages with a hidden ``version`` field. A
service given an ``expected_version`` that is no longer the row's refuses the edit
with ``ConcurrentChange`` (409), so an edit made on stale data never overwrites a
newer one. Without ``If-Match`` the API accepts the edit, as before.
"""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from .errors import ConcurrentChange, InvalidInput

STALE_EDIT = _(
    "Someone else changed this item after you opened it (it is now at version "
    "%(current)d, you edited version %(expected)d). Nothing was saved: reload it, "
    "then make your change again."
)


def version_field() -> models.PositiveIntegerField:
    """The ``version`` column of an editable resource, the same on every model."""
    return models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Raised by each edit (ETag).")
    )


def version_check(obj: models.Model, expected_version: int | None) -> None:
    """Refuse an edit of ``obj`` (already locked by the caller) made on an older version."""
    if expected_version is not None and expected_version != obj.version:
        raise ConcurrentChange(STALE_EDIT % {"current": obj.version, "expected": expected_version})


def version_bump(obj: models.Model) -> list[str]:
    """Raise the version of ``obj``; returns the field name for ``update_fields``."""
    obj.version += 1
    return ["version"]


def etag(version: int) -> str:
    return f'"{version}"'


def if_match_version(request) -> int | None:
    """The version named by the request's ``If-Match`` header (None when absent or ``*``)."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    value = header.split(",")[0].strip()
    if value.startswith("W/"):
        value = value[2:]
    value = value.strip('"')
    if not value.isdigit():
        raise InvalidInput(
            field_errors={"If-Match": [str(_('Send the ETag of the detail, e.g. "3".'))]}
        )
    return int(value)


class ETagMixin:
    """A viewset mixin: detail and edit answers carry the resource's version as ETag."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if (
            getattr(self, "detail", False)
            and response.status_code < 300
            and isinstance(data, dict)
            and isinstance(data.get("version"), int)
        ):
            response["ETag"] = etag(data["version"])
        return response


EDITED_MEANWHILE = _(
    "Someone else saved this item while you were editing it. Nothing of yours is saved "
    "yet, and what you typed is kept below: check it against the current version (open "
    "the page in a new tab) and save again to keep your changes."
)


class VersionFormMixin(forms.Form):
    """A hidden ``version`` field: the version of the object the form was opened on."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, versioned=None, **kwargs):
        super().__init__(*args, **kwargs)
        versioned = versioned if versioned is not None else getattr(self, "instance", None)
        if getattr(versioned, "pk", None):
            self.initial["version"] = versioned.version

    def edited_version(self) -> int | None:
        return self.cleaned_data.get("version")

    def show_conflict(self, current_version: int) -> None:
        """Keep what the user typed, say that someone else saved meanwhile, and carry
        the current version so that saving again is a deliberate overwrite."""
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = str(current_version)
        self.add_error(None, EDITED_MEANWHILE)
