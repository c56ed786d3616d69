"""``{% permit_signing_status permit %}``: for officers, the signing state of a permit awaiting
signature (queued, signing, failed with its error) and the retry button (REL-06). Renders
nothing for anyone else, or when nothing awaits signature."""

from django import template

from permits import selectors, services

register = template.Library()


@register.inclusion_tag("permits/_signing_status.html", takes_context=True)
def permit_signing_status(context, permit):
    request = context.get("request")
    user = getattr(request, "user", None)
    if permit is None or user is None or not getattr(user, "is_officer", False):
        return {"signing": None}
    return {
        "signing": selectors.permit_signing_status(permit=permit),
        "can_retry": user.role in services.SIGNING_RETRY_ROLES,
        "csrf_token": context.get("csrf_token"),
    }
