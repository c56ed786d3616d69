"""Who is calling, and how often (issue 15 item 4, SEC-04).

The client address comes from ``REMOTE_ADDR`` unless the deployment says how many reverse
proxies stand in front of the application (``NUM_PROXIES``, default 0): only then is the
``X-Forwarded-For`` entry that the nearest trusted proxy appended believed. Every consumer
reads the address here: DRF's throttles (``REST_FRAMEWORK["NUM_PROXIES"]`` is the same number),
django-axes (``AXES_CLIENT_IP_CALLABLE``), the HTML throttles and the audit log.

The HTML pages share the API's rates (``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``) through
``rate_exceeded``: a fixed window counted in the cache, like DRF's own throttles.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def client_address(request) -> str:
    """The caller's address, trusting ``X-Forwarded-For`` only from ``NUM_PROXIES`` proxies."""
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.NUM_PROXIES
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    # Each trusted proxy appends the address it saw; the client is the entry the outermost
    # trusted proxy appended. Anything further left was written by the client itself.
    return forwarded[-min(proxies, len(forwarded))]


def parse_rate(rate: str) -> tuple[int, int]:
    count, period = rate.split("/")
    return int(count), _PERIODS[period.strip()[0]]


def rate_exceeded(scope: str, ident: str, *, rate: str | None = None) -> bool:
    """Count one hit of ``ident`` in ``scope``; True once the scope's rate is exceeded."""
    rate = rate or settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]
    limit, seconds = parse_rate(rate)
    digest = hashlib.sha256(f"{scope}\x00{ident}".encode()).hexdigest()[:32]
    key = f"throttle:{scope}:{digest}"
    cache.add(key, 0, seconds)
    try:
        hits = cache.incr(key)
    except ValueError:  # expired between add and incr, or the cache dropped it (REL-07)
        cache.set(key, 1, seconds)
        hits = 1
    return hits > limit


def rate_reached(scope: str, ident: str, *, rate: str | None = None) -> bool:
    """True when ``ident`` already used up the scope's rate (counts nothing)."""
    rate = rate or settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]
    limit, _seconds = parse_rate(rate)
    digest = hashlib.sha256(f"{scope}\x00{ident}".encode()).hexdigest()[:32]
    return (cache.get(f"throttle:{scope}:{digest}") or 0) >= limit


def login_throttled(request) -> bool:
    """Logins (HTML form and API token) per client address, on top of HA-11's lock per user
    id: every attempt counts against the "login" rate, and an address whose failed logins
    used up "login_failures" (one password sprayed over many user ids) waits."""
    address = client_address(request)
    return rate_exceeded("login", address) or rate_reached("login_failures", address)


def login_failure_record(request) -> None:
    if request is not None:
        rate_exceeded("login_failures", client_address(request))


def registration_throttled(request, *, email: str = "", npwp: str = "") -> bool:
    """Anonymous registrations (each renders a PDF and sends e-mails): per client address and
    per e-mail address and NPWP named in the form, whoever sends them."""
    exceeded = rate_exceeded("registration", client_address(request))
    for kind, value in (("email", (email or "").strip().lower()), ("npwp", "".join(ch for ch in npwp or "" if ch.isdigit()))):
        if value:
            exceeded = rate_exceeded("registration_identity", f"{kind}:{value}") or exceeded
    return exceeded
