"""Issue 19, signing keys off the node's disk: the encrypted PKCS#12 is kept in the database,
so a worker with only the passphrase variable signs; rotation replaces an official's
certificate (admin upload) and the next permit is signed with the new one."""

import shutil

import pytest

from permits import pki
from permits.models import SigningCertificate, VersionState
from permits.signing import validate_pdf
from tests.permits.conftest import PASSPHRASE, pdf_bytes

pytestmark = pytest.mark.django_db


def test_a_permit_is_signed_with_the_pkcs12_from_the_database_when_no_file_exists__issue_19(
        dirjen, pki_dir, issue_permit, tmp_path, settings):
    from permits.services import signing_certificate_register

    copy = tmp_path / "upload.p12"
    shutil.copy(pki_dir / "signers" / "dirjen.p12", copy)
    cert = signing_certificate_register(user=dirjen, pkcs12_path=str(copy))
    assert bytes(cert.pkcs12_data) == copy.read_bytes()
    copy.unlink()  # nothing on this node's disk any more
    pki.clear_caches()

    permit = issue_permit()
    version = permit.current_version
    assert version.state == VersionState.SIGNED, version.signing_error
    assert validate_pdf(pdf_bytes(version)).ok


def test_rotation_by_admin_upload_deactivates_the_old_certificate_and_signs_with_the_new__issue_19(
        dirjen, pki_dir, issue_permit, client, administrator, tmp_path):
    from permits.services import signing_certificate_register

    old = signing_certificate_register(user=dirjen, pkcs12_data=(pki_dir / "signers" / "dirjen.p12").read_bytes())
    new_file = pki.issue_signer_p12(pki_dir, username="dirjen-2027", display_name="Sri Mulyani 2027",
                                    passphrase=PASSPHRASE)
    client.force_login(administrator)
    with new_file.open("rb") as handle:
        response = client.post("/admin/permits/signingcertificate/add/", {
            "user": dirjen.pk, "pkcs12_file": handle, "pkcs12_path": "", "passphrase_env": "INATRADE_SIGNER_PASSPHRASE",
            "is_active": "on",
        })
    assert response.status_code == 302, response.content.decode()[-2000:]
    old.refresh_from_db()
    new = SigningCertificate.objects.get(is_active=True)
    assert old.is_active is False and new.pk != old.pk
    assert new.subject == "Sri Mulyani 2027" and bytes(new.pkcs12_data) == new_file.read_bytes()
    new_file.unlink()

    permit = issue_permit()
    version = permit.current_version
    assert version.state == VersionState.SIGNED, version.signing_error
    result = validate_pdf(pdf_bytes(version))
    assert result.ok and "Sri Mulyani 2027" in result.signer
