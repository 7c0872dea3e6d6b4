"""Signed links sent by e-mail: an invitation (zaproszenie) to set a password, and an
unsubscribe link (wypisanie) from one kind of optional message.

Both are ``TimestampSigner`` values, so they need no table. An invitation carries a
fingerprint of the user's (unusable) password: once the invitee sets a password, or
the invitation is sent again, or the person is deactivated, the old link stops working.
"""

from __future__ import annotations

import datetime

from django.core import signing
from django.utils.crypto import salted_hmac

from .models import User

INVITATION_SALT = "accounts.invitation"
INVITATION_MAX_AGE = datetime.timedelta(days=7)
UNSUBSCRIBE_SALT = "accounts.unsubscribe"


class InvitationInvalid(Exception):
    """Why an invitation link cannot be used: ``reason`` is expired, broken or used."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def _fingerprint(user: User) -> str:
    return salted_hmac(INVITATION_SALT, user.password, algorithm="sha256").hexdigest()[:20]


def invitation_token(user: User) -> str:
    return signing.TimestampSigner(salt=INVITATION_SALT).sign_object(
        {"u": user.pk, "f": _fingerprint(user)}
    )


def invitation_user(token: str) -> User:
    """The invited user the link was made for; ``InvitationInvalid`` when it is not usable."""
    signer = signing.TimestampSigner(salt=INVITATION_SALT)
    try:
        data = signer.unsign_object(token, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        raise InvitationInvalid("expired") from None
    except signing.BadSignature:
        raise InvitationInvalid("broken") from None
    user = User.objects.filter(pk=data.get("u")).first()
    if user is None:
        raise InvitationInvalid("broken")
    if user.has_usable_password() or user.is_active or data.get("f") != _fingerprint(user):
        raise InvitationInvalid("used")
    return user


def unsubscribe_token(user: User, kind: str) -> str:
    """A link that mutes the group of ``kind`` (its first segment) for ``user``."""
    group = kind.split(".", 1)[0]
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"u": user.pk, "k": group})


def unsubscribe_read(token: str) -> tuple[User, str] | None:
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u")).first()
    return (user, data.get("k", "")) if user is not None else None
