"""Labels for the timeline of a registration (AUD-02): audit actions and roles in words."""

from django import template

from inatrade import audit_labels

register = template.Library()
register.filter("action_label", audit_labels.action_label)
register.filter("role_label", audit_labels.role_label)


@register.filter
def get_item(mapping, key):
    """``mapping|get_item:key`` for a dict read in a template."""
    return (mapping or {}).get(key)
