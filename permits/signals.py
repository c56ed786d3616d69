"""Signals other apps may connect to.

``permit_signed(sender=Permit, permit, version, event)`` is sent inside the transaction that
stores a signed version (``event`` is "issued" or "amended"), e.g. to e-mail the holder the
PDF (attachment ``{"path": version.pdf_path, ...}``) with ``inatrade.notifications.email_queue``.
"""

from django.dispatch import Signal

permit_signed = Signal()
