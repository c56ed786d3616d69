"""HA-08 (INSW 6.1, 6.2): the set-password link, valid 24 hours and usable once.

The token is signed (Django's signing, salted) and carries the user's id and a fingerprint
of the current password hash: once the password is set, every earlier link stops working.
An expired token still tells us whose it was, so the "Token expired" page can send a new link
to the same address.
"""

from __future__ import annotations

import hashlib

from django.core import signing

from accounts.models import User

SALT = "accounts.set-password"
MAX_AGE_SECONDS = 24 * 3600


class TokenInvalid(Exception):
    pass


class TokenExpired(Exception):
    def __init__(self, user: User):
        super().__init__("expired")
        self.user = user


def _fingerprint(user: User) -> str:
    return hashlib.sha256(f"{user.pk}|{user.password}".encode()).hexdigest()[:20]


def set_password_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "f": _fingerprint(user)}, salt=SALT, compress=True)


def _user_for(payload) -> User:
    user = User.objects.filter(pk=payload.get("u")).first() if isinstance(payload, dict) else None
    if user is None or payload.get("f") != _fingerprint(user):
        raise TokenInvalid()
    return user


def set_password_token_user(token: str) -> User:
    """The user of a valid token; ``TokenExpired`` (with the user) after 24 h; else ``TokenInvalid``."""
    try:
        return _user_for(signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS))
    except signing.SignatureExpired:
        payload = signing.loads(token, salt=SALT)  # authentic but old: whose was it?
        raise TokenExpired(_user_for(payload)) from None
    except signing.BadSignature:
        raise TokenInvalid() from None
