"""Template helpers for accessible forms: every widget names its help text and its
errors with ``aria-describedby`` and says ``aria-invalid`` when it has errors."""

from django import template

register = template.Library()


@register.simple_tag
def accessible_widget(bound_field):
    attrs = {}
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_help")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}_errors")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return bound_field.as_widget(attrs=attrs)
