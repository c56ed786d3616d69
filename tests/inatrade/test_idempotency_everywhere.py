"""REL-04 on every API action: each state-changing method (POST, PUT, PATCH, DELETE) of every
route under /api/v1/ honours ``Idempotency-Key`` (it is wrapped by ``@idempotent``), so a repeat
with the same key replays the first answer and changes nothing. Behaviour is proven per app in
tests/*/test_api*.py; this walk makes sure no action was left out."""

from django.urls import URLPattern, URLResolver, get_resolver

from inatrade.api.idempotency import idempotent

# Not actions on the portal's records:
EXEMPT = {
    # exchanging a password for a token: replaying would mean storing the secret token in
    # the idempotency table; a repeat simply issues another token (throttled by "login")
    ("accounts.apis.TokenApi", "post"),
    # logging out: deleting the caller's own token is naturally idempotent
    ("accounts.apis.TokenApi", "delete"),
    # verifying an uploaded PDF: read-only, changes nothing
    ("permits.apis.VerifyUploadApi", "post"),
}


def api_views(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from api_views(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and (prefix + str(entry.pattern)).startswith("api/v1/"):
            view_class = getattr(entry.callback, "view_class", None)
            if view_class is not None:
                yield prefix + str(entry.pattern), view_class


def is_idempotent(method) -> bool:
    wrapped = method
    while wrapped is not None:
        if getattr(wrapped, "__code__", None) is idempotent(lambda *a: None).__code__:
            return True
        wrapped = getattr(wrapped, "__wrapped__", None)
    return False


def test_every_state_changing_api_action_takes_an_idempotency_key__REL_04():
    checked, missing = [], []
    for route, view_class in api_views():
        for verb in ("post", "put", "patch", "delete"):
            method = getattr(view_class, verb, None)
            if method is None:
                continue
            name = (f"{view_class.__module__}.{view_class.__qualname__}", verb)
            if name in EXEMPT:
                continue
            checked.append(name)
            if not is_idempotent(method):
                missing.append((route, *name))
    assert len(checked) >= 40  # the walk really found the API
    assert missing == []
