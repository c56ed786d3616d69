"""Create a local PKI for development and tests (DOC-02): a root CA and its CRL, a timestamp
authority, and a signer certificate for each demo official, under PKI_DIR. No network.

Idempotent: an existing CA is kept (unless --force) and only missing signer files are made;
each official that exists as a user gets an active SigningCertificate row.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

DEMO_OFFICIALS = [
    ("dirjen", "Sri Mulyani, Direktur Jenderal Perdagangan Luar Negeri"),
    ("direktur", "Bambang Hartono, Direktur Fasilitasi Ekspor dan Impor"),
    ("dinasdki", "Hendra Gunawan, Kepala Dinas PTSP Provinsi DKI Jakarta"),
]


def ensure_dev_pki(directory: Path | None = None, *, force: bool = False, register: bool = True, out=None) -> dict:
    from django.contrib.auth import get_user_model

    from permits import pki
    from permits.models import SigningCertificate
    from permits.services import signing_certificate_register

    directory = Path(directory or settings.PKI_DIR)
    passphrase = pki.passphrase_for("INATRADE_SIGNER_PASSPHRASE")
    if force or not (directory / "ca.cert.pem").exists():
        paths = pki.generate_dev_pki(directory, DEMO_OFFICIALS, passphrase=passphrase)
    else:
        paths = {}
        for username, name in DEMO_OFFICIALS:
            path = directory / "signers" / f"{username}.p12"
            if not path.exists():
                pki.issue_signer_p12(directory, username=username, display_name=name, passphrase=passphrase)
            paths[username] = path
    pki.clear_caches()
    if register:
        for username, path in paths.items():
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                continue
            current = SigningCertificate.objects.filter(user=user, is_active=True).first()
            if force or current is None or current.pkcs12_path != str(path):
                signing_certificate_register(user=user, pkcs12_path=str(path))
                if out:
                    out.write(f"  signer certificate registered for {username}")
    return paths


class Command(BaseCommand):
    help = "Create a local CA, timestamp authority and demo officials' signer certificates (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="regenerate the CA and every certificate")

    def handle(self, *args, force=False, **options):
        if settings.PRODUCTION:
            self.stderr.write("dev_pki refuses to run in production")
            return
        paths = ensure_dev_pki(force=force, out=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Development PKI in {settings.PKI_DIR}: CA, TSA, {len(paths)} signers"))
