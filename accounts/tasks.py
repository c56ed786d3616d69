"""Celery tasks of accounts: they take ids, call a service and are safe to run twice."""

from celery import shared_task


@shared_task(name="accounts.render_registration_document", acks_late=True)
def render_registration_document(registration_id: int) -> bool:
    """HA-05: render Lampiran II after commit and e-mail it to the applicant (once)."""
    from accounts.services.registration import registration_document_render

    return registration_document_render(registration_id=registration_id)


@shared_task(name="accounts.render_bap_pdf", acks_late=True)
def render_bap_pdf(bap_id: int) -> bool:
    """HA-06: render the BAP PDF after commit."""
    from accounts.services.registration import bap_pdf_render

    return bap_pdf_render(bap_id=bap_id)
