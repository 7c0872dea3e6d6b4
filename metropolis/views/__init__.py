"""Pages of the metropolis app: open data (public), the metropolis' figures (its
staff), the good-practice catalogue (public) and its publishing (officials), and
programmes (public; officials publish and start calls from them)."""

from django.core.exceptions import ValidationError

from workflows.errors import DomainError


def place_errors(form, exc: DomainError) -> None:
    """A refused write's messages next to the fields they concern."""
    errors = getattr(exc, "field_errors", None) or {None: [exc.message]}
    for field, messages in errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, ValidationError(str(message)))
