"""DOC-02 (PAdES B-LTA, validated by pyHanko and Poppler), DOC-06 (stored once with its
SHA-256) and REL-06 (after commit, exactly once, failures visible and retried)."""

import hashlib
import io
import subprocess

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from inatrade.models import AuditEntry
from permits import pki
from permits.models import InswOutboxEvent, PermitStatus, PermitVersion, SigningCertificate, VersionState
from permits.services import (
    permit_sign_version,
    permit_signing_retry,
    permit_signing_sweep,
    signing_certificate_register,
)
from permits.signing import validate_pdf
from permits.tasks import sign_permit_version
from tests.permits.conftest import PASSPHRASE, pdf_bytes

pytestmark = pytest.mark.django_db


def _pdfsig(path) -> str:
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout


@pytest.mark.usefixtures("dirjen_certificate")
def test_it_signs_pades_b_lta_that_pyhanko_validates_against_the_dev_ca__DOC_02(issue_permit):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    permit = issue_permit()
    data = pdf_bytes(permit.current_version)
    reader = PdfFileReader(io.BytesIO(data))
    [signature] = reader.embedded_regular_signatures
    status = validate_pdf_signature(signature, pki.validation_context())
    assert status.intact and status.valid and status.trusted
    assert status.docmdp_ok is not False
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert status.timestamp_validity is not None and status.timestamp_validity.valid  # B-T
    assert "/DSS" in reader.root  # validation data embedded (B-LT)
    assert reader.embedded_timestamp_signatures  # document timestamp (B-LTA)
    assert status.signing_cert.subject.native["common_name"].startswith("Sri Mulyani")
    assert validate_pdf(data).ok


@pytest.mark.usefixtures("dirjen_certificate")
def test_it_passes_the_long_term_ades_validation_now_and_years_later__DOC_02(issue_permit):
    import asyncio

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import ades

    permit = issue_permit()
    reader = PdfFileReader(io.BytesIO(pdf_bytes(permit.current_version)))
    [signature] = reader.embedded_regular_signatures
    from pyhanko.sign.validation.policy_decl import PdfSignatureValidationSpec, SignatureValidationSpec
    from pyhanko_certvalidator.context import ValidationDataHandlers
    from pyhanko_certvalidator.policy_decl import CertRevTrustPolicy, REQUIRE_REVINFO
    from pyhanko_certvalidator.context import CertValidationPolicySpec
    from pyhanko_certvalidator.registry import SimpleTrustManager

    material = pki.trust_material()
    spec = PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=CertValidationPolicySpec(
                trust_manager=SimpleTrustManager.build(trust_roots=list(material.roots)),
                revinfo_policy=CertRevTrustPolicy(REQUIRE_REVINFO),
            )
        )
    )
    result = asyncio.run(ades.ades_lta_validation(signature, pdf_validation_spec=spec))
    from pyhanko.sign.ades.report import AdESPassed

    assert result.ades_subindic == AdESPassed.OK  # revocation info required, offline
    assert result.api_status.bottom_line

    # three years on, the signer's certificate (2 years) has expired: the archive timestamp
    # still proves the signature was made while it was valid
    import datetime as dt

    from pyhanko_certvalidator.ltv.types import ValidationTimingInfo

    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3 * 365)
    timing = ValidationTimingInfo(validation_time=later, best_signature_time=later, point_in_time_validation=True)
    result = asyncio.run(ades.ades_lta_validation(signature, pdf_validation_spec=spec, timing_info=timing))
    assert result.ades_subindic == AdESPassed.OK


@pytest.mark.usefixtures("dirjen_certificate")
def test_it_is_reported_valid_by_poppler_pdfsig_and_names_the_signer__DOC_02(issue_permit, tmp_path):
    permit = issue_permit()
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf_bytes(permit.current_version))
    out = _pdfsig(path)
    assert "Signature #1" in out
    first = out.split("Signature #2")[0]
    assert "Signature Validation: Signature is Valid." in first
    assert "Sri Mulyani" in first
    assert "ETSI.CAdES.detached" in first


@pytest.mark.usefixtures("dirjen_certificate")
def test_flipping_one_byte_breaks_the_signature_for_both_validators__DOC_02(issue_permit, tmp_path):
    permit = issue_permit()
    data = bytearray(pdf_bytes(permit.current_version))
    # a byte inside the signed content (the page stream, before the signature's /Contents)
    offset = data.index(b"stream") + 200
    data[offset] ^= 0x01
    path = tmp_path / "tampered.pdf"
    path.write_bytes(bytes(data))
    report = validate_pdf(bytes(data))
    assert not report.intact and not report.ok
    out = _pdfsig(path)
    assert "Signature is Valid." not in out.split("Signature #2")[0]
    assert "Digest Mismatch" in out or "Signature is Invalid" in out


@pytest.mark.usefixtures("dirjen_certificate")
def test_it_stores_the_pdf_with_its_sha256_and_never_rewrites_it__DOC_06(issue_permit):
    permit = issue_permit()
    version = permit.current_version
    data = pdf_bytes(version)
    assert version.sha256 == hashlib.sha256(data).hexdigest() and version.size == len(data)
    assert not version.pdf_path.startswith("/") and "permits/" in version.pdf_path
    # running the task again changes nothing
    assert sign_permit_version.apply(args=[version.pk]).get() is False
    version.refresh_from_db()
    assert pdf_bytes(version) == data


def test_it_signs_only_after_commit_never_in_the_callers_transaction__REL_06(company, dirjen, dirjen_certificate, sugar_content):
    from permits.services import permit_issue

    permit = permit_issue(kind="sugar_pi", holder=company, number="04.PI-05.26.0900", content=sugar_content, signer=dirjen)
    permit.refresh_from_db()
    assert permit.status == PermitStatus.AWAITING_SIGNATURE  # the test transaction never committed
    assert permit.versions.get().state == VersionState.AWAITING_SIGNATURE
    assert not InswOutboxEvent.objects.exists()
    assert AuditEntry.objects.filter(action="permit.issue", object_id=str(permit.pk)).count() == 1


def test_it_issues_exactly_once_when_the_task_runs_twice__REL_06(company, dirjen, dirjen_certificate, sugar_content, django_capture_on_commit_callbacks):
    from permits.services import permit_issue

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        permit = permit_issue(kind="sugar_pi", holder=company, number="04.PI-05.26.0901", content=sugar_content, signer=dirjen)
    version = permit.versions.get()
    for callback in callbacks:  # the task delivered...
        callback()
    assert sign_permit_version.apply(args=[version.pk]).get() is False  # ...and redelivered
    assert permit_sign_version(version_id=version.pk) is False
    permit.refresh_from_db()
    assert permit.status == PermitStatus.VALID
    assert PermitVersion.objects.filter(permit=permit).count() == 1
    assert InswOutboxEvent.objects.filter(permit=permit, event="issued").count() == 1
    assert AuditEntry.objects.filter(action="permit.sign", object_id=str(permit.pk)).count() == 1
    from pathlib import Path

    assert len(list(Path(default_storage.path(f"permits/{company.pk}")).glob("*.pdf"))) == 1


def test_a_worker_that_died_mid_signing_is_taken_over_after_its_lease__REL_06(company, dirjen, dirjen_certificate, sugar_content):
    import datetime as dt

    from django.utils import timezone

    from permits.services import permit_issue

    permit = permit_issue(kind="sugar_pi", holder=company, number="04.PI-05.26.0902", content=sugar_content, signer=dirjen)
    version = permit.versions.get()
    # a worker claimed it and was killed: the lease blocks others until it runs out
    PermitVersion.objects.filter(pk=version.pk).update(signing_claimed_until=timezone.now() + dt.timedelta(minutes=5))
    assert permit_sign_version(version_id=version.pk) is False
    PermitVersion.objects.filter(pk=version.pk).update(signing_claimed_until=timezone.now() - dt.timedelta(seconds=1))
    assert permit_signing_sweep()["signed"] == 1
    permit.refresh_from_db()
    assert permit.status == PermitStatus.VALID
    assert InswOutboxEvent.objects.filter(permit=permit).count() == 1


def test_a_missing_certificate_leaves_it_awaiting_signature_with_a_visible_error_then_a_retry_completes_it__REL_06(
    company, dirjen, sugar_content, pki_dir, django_capture_on_commit_callbacks, client, administrator
):
    from permits.services import permit_issue

    with django_capture_on_commit_callbacks(execute=True):
        permit = permit_issue(kind="sugar_pi", holder=company, number="04.PI-05.26.0903", content=sugar_content, signer=dirjen)
    permit.refresh_from_db()
    version = permit.versions.get()
    assert permit.status == PermitStatus.AWAITING_SIGNATURE
    assert "no active signing certificate" in version.signing_error
    assert version.signing_next_attempt_at is not None and version.signing_attempts == 1
    from inatrade.models import OutgoingEmail

    alert = OutgoingEmail.objects.get(template="permit_signing_failed")
    assert "04.PI-05.26.0903" in alert.subject and "no active signing certificate" in alert.body
    # visible to administrators
    client.force_login(administrator)
    page = client.get("/admin/permits/permitversion/")
    assert page.status_code == 200 and "no active signing certificate" in page.content.decode()
    # the administrator configures the certificate and retries
    signing_certificate_register(user=dirjen, pkcs12_path=str(pki_dir / "signers" / "dirjen.p12"))
    with django_capture_on_commit_callbacks(execute=True):
        permit_signing_retry(version=version, actor=administrator)
    permit.refresh_from_db()
    version.refresh_from_db()
    assert permit.status == PermitStatus.VALID and version.state == VersionState.SIGNED
    assert version.signing_error == ""
    assert validate_pdf(pdf_bytes(version)).ok


def test_an_expired_certificate_fails_visibly_and_the_sweep_retries_once_renewed__REL_06(
    company, dirjen, sugar_content, pki_dir, tmp_path, settings, django_capture_on_commit_callbacks
):
    import datetime as dt
    import shutil

    from django.utils import timezone

    from permits.services import permit_issue

    work = tmp_path / "pki"
    shutil.copytree(pki_dir, work)
    settings.PKI_DIR = work
    pki.clear_caches()
    expired = pki.issue_signer_p12(work, username="dirjen-old", display_name="Sri Mulyani", passphrase=PASSPHRASE, not_after_days_ago=3)
    SigningCertificate.objects.create(user=dirjen, pkcs12_path=str(expired), passphrase_env="INATRADE_SIGNER_PASSPHRASE")
    with django_capture_on_commit_callbacks(execute=True):
        permit = permit_issue(kind="sugar_pi", holder=company, number="04.PI-05.26.0904", content=sugar_content, signer=dirjen)
    version = permit.versions.get()
    assert "expired" in version.signing_error
    assert permit_signing_sweep()["signed"] == 0  # not due yet (back-off)
    signing_certificate_register(user=dirjen, pkcs12_path=str(work / "signers" / "dirjen.p12"))
    PermitVersion.objects.filter(pk=version.pk).update(signing_next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    call_command("run_job", "permit_signing_sweep")
    permit.refresh_from_db()
    assert permit.status == PermitStatus.VALID


def test_dev_pki_creates_ca_tsa_and_a_signer_per_official__DOC_02(settings, tmp_path, dirjen):
    settings.PKI_DIR = tmp_path / "pki"
    call_command("dev_pki")
    for name in ("ca.cert.pem", "ca.key.pem", "ca.crl.der", "tsa.cert.pem", "tsa.key.pem", "signers/dirjen.p12",
                 "signers/direktur.p12", "signers/dinasdki.p12"):
        assert (settings.PKI_DIR / name).exists(), name
    cert = SigningCertificate.objects.get(user=dirjen, is_active=True)
    assert cert.subject.startswith("Sri Mulyani") and cert.not_after is not None
    call_command("dev_pki")  # idempotent
    assert SigningCertificate.objects.filter(user=dirjen, is_active=True).count() == 1


@pytest.mark.usefixtures("dirjen_certificate")
def test_other_apps_hear_when_a_version_is_signed(issue_permit):
    from permits.signals import permit_signed

    heard = []

    def receiver(sender, permit, version, event, **kwargs):
        heard.append((permit.number, version.version_no, event, bool(version.sha256)))

    permit_signed.connect(receiver)
    try:
        issue_permit(number="04.PI-05.26.0950")
    finally:
        permit_signed.disconnect(receiver)
    assert heard == [("04.PI-05.26.0950", 1, "issued", True)]


@pytest.mark.usefixtures("dirjen_certificate")
def test_a_timestamp_authority_that_is_down_leaves_it_awaiting_then_the_sweep_completes_it__REL_06(
    company, dirjen, sugar_content, settings, django_capture_on_commit_callbacks
):
    import datetime as dt
    import socket

    from django.utils import timezone

    from permits.services import permit_issue

    with socket.socket() as s:  # a loopback port with nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.PKI_TSA_URL = f"http://127.0.0.1:{port}/tsa"
    with django_capture_on_commit_callbacks(execute=True):
        permit = permit_issue(kind="sugar_pi", holder=company, number="04.PI-05.26.0960", content=sugar_content, signer=dirjen)
    version = permit.versions.get()
    permit.refresh_from_db()
    assert permit.status == PermitStatus.AWAITING_SIGNATURE and version.signing_error
    settings.PKI_TSA_URL = ""  # the TSA is back (here: the local one)
    PermitVersion.objects.filter(pk=version.pk).update(signing_next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    assert permit_signing_sweep()["signed"] == 1
    permit.refresh_from_db()
    assert permit.status == PermitStatus.VALID and validate_pdf(pdf_bytes(permit.current_version)).ok


@pytest.mark.usefixtures("dirjen_certificate")
def test_the_holder_receives_the_signed_pdf_by_email_once__AUD_03(issue_permit, company, mailoutbox):
    from inatrade.models import OutgoingEmail
    from permits.services import permit_sign_version

    permit = issue_permit(number="04.PI-05.26.0951")
    version = permit.current_version
    assert permit_sign_version(version_id=version.pk) is False  # a second run changes nothing
    queued = OutgoingEmail.objects.filter(template="permit_signed")
    assert queued.count() == 1 and company.email in queued.get().to
    sent = [m for m in mailoutbox if "04.PI-05.26.0951" in m.subject]
    assert len(sent) == 1
    (filename, content, mimetype), = sent[0].attachments
    assert filename == "04.PI-05.26.0951.pdf" and mimetype == "application/pdf"
    assert content == pdf_bytes(version) and content.startswith(b"%PDF")
    assert "/verify/04.PI-05.26.0951" in sent[0].body
