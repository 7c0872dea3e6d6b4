"""The audit trail of second factors: allauth.mfa adds and removes authenticators in
its own views; its signals, sent once allauth's transaction commits, leave an entry on
the user (the secret is never written)."""

from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset

from workflows.audit import audit_record


def _audit(action: str):
    def receiver(sender, request, user, authenticator, **kwargs):
        audit_record(obj=user, actor=user, action=action, after={"type": authenticator.type})

    return receiver


on_added = _audit("mfa_authenticator_add")
on_removed = _audit("mfa_authenticator_remove")
on_reset = _audit("mfa_authenticator_reset")


def connect() -> None:
    authenticator_added.connect(on_added, dispatch_uid="accounts.mfa.added")
    authenticator_removed.connect(on_removed, dispatch_uid="accounts.mfa.removed")
    authenticator_reset.connect(on_reset, dispatch_uid="accounts.mfa.reset")
