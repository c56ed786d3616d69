"""HA-05/HA-06: the Dokumen Registrasi INATRADE (P123 Lampiran II) and the BAP PDF, rendered
by workers after commit (tasks ``accounts.render_registration_document`` and
``accounts.render_bap_pdf``), never in the request (PERF-01)."""

from __future__ import annotations

import logging

from django.core.files.storage import default_storage
from django.db import transaction

from accounts import documents
from accounts.models import Bap, Registration
from accounts.services.registration.submission import document_url, status_url
from inatrade.files import store_private
from inatrade.notifications import email_queue

logger = logging.getLogger(__name__)


def _email_registration_received(registration: Registration) -> None:
    """HA-05: the reference, the status link and Lampiran II attached. Queued once, by the
    render run that stored the document."""
    email_queue(
        template="registration_received",
        to=sorted({registration.applicant_email, registration.company_email}),
        context={
            "name": registration.applicant_name,
            "reference": registration.reference,
            "company": registration.company_name,
            "status_url": status_url(registration),
            "document_url": document_url(registration),
        },
        language=registration.language,
        attachments=[
            {
                "path": registration.document_path,
                "filename": f"Dokumen-Registrasi-INATRADE-{registration.reference}.pdf",
                "mimetype": "application/pdf",
            }
        ],
    )


def _store_rendered(pdf: bytes, *, folder: str, lock_and_check, save) -> bool:
    """Store ``pdf`` in a short transaction that re-checks under the row lock.

    ``lock_and_check()`` locks the row and returns it, or None when another run stored the
    PDF meanwhile (the render is then discarded). ``save(row, path, digest)`` records it.
    Returns True when this run stored the PDF."""
    path = None
    try:
        with transaction.atomic():
            row = lock_and_check()
            if row is None:
                return False
            path, digest = store_private(pdf, folder=folder)
            save(row, path, digest)
        return True
    except BaseException:
        if path:  # the row does not point at it: remove the orphan
            try:
                default_storage.delete(path)
            except Exception:  # noqa: BLE001
                logger.warning("Could not delete %s after a failed render", path)
        raise


def _render_once(model, pk: int, *, render, folder: str, path_field: str, sha_field: str, after_save=None,
                 queryset=None) -> bool:
    """Render the PDF of row ``pk`` and store it once: nothing when it is already stored; the
    render runs outside any transaction, and ``_store_rendered`` re-checks under the row lock
    (``after_save(locked)`` runs in that transaction). True when this run stored it."""
    row = (queryset if queryset is not None else model.objects).filter(pk=pk).first()
    if row is None or getattr(row, path_field):
        return False
    pdf = render(row)

    def lock_and_check():
        locked = model.objects.select_for_update(of=("self",), no_key=True).get(pk=pk)
        return None if getattr(locked, path_field) else locked

    def save(locked, path, digest):
        setattr(locked, path_field, path)
        setattr(locked, sha_field, digest)
        locked.save(update_fields=[path_field, sha_field])
        if after_save is not None:
            after_save(locked)

    return _store_rendered(pdf, folder=folder, lock_and_check=lock_and_check, save=save)


def registration_document_render(*, registration_id: int) -> bool:
    """HA-05: render and store the Dokumen Registrasi INATRADE (P123 Lampiran II), then queue
    the ``registration_received`` e-mail with it attached.

    Runs in a worker (task ``accounts.render_registration_document``), never in the request.
    Idempotent: when the document is already stored nothing happens; WeasyPrint runs outside
    any transaction and, if two runs race, the one that stores first wins and the other's
    render is discarded, so the file is stored and the e-mail sent exactly once.
    Returns True when this run stored the document."""
    return _render_once(
        Registration, registration_id, render=lambda row: documents.registration_document_pdf(row),
        folder="registrations", path_field="document_path", sha_field="document_sha256",
        after_save=_email_registration_received,
    )


def bap_pdf_render(*, bap_id: int) -> bool:
    """HA-06: render and store the BAP PDF (task ``accounts.render_bap_pdf``), idempotent like
    ``registration_document_render``. Returns True when this run stored the PDF."""
    return _render_once(
        Bap, bap_id, render=lambda row: documents.bap_pdf(row), folder="bap", path_field="pdf_path",
        sha_field="pdf_sha256", queryset=Bap.objects.select_related("registration", "officer"),
    )


def registration_documents_sweep(*, as_of=None, limit: int = 200) -> dict:
    """Periodic job ``registration_documents_sweep``: render what a lost task left unrendered
    (the broker was down at commit, or a worker died). Both render services are idempotent."""
    registrations = list(
        Registration.objects.filter(document_path="", reference__isnull=False).values_list("pk", flat=True)[:limit]
    )
    baps = list(Bap.objects.filter(pdf_path="").values_list("pk", flat=True)[:limit])
    rendered = sum(registration_document_render(registration_id=pk) for pk in registrations)
    rendered += sum(bap_pdf_render(bap_id=pk) for pk in baps)
    return {"pending": len(registrations) + len(baps), "rendered": rendered}
