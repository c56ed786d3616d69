"""Keys, certificates and the timestamp authority used to sign permits (DOC-02).

Production configures, per official, a PKCS#12 file issued by a real CA (``SigningCertificate``
rows) and the trust roots / CRLs / timestamp authority in settings. Development and tests use
``python manage.py dev_pki``, which writes under ``settings.PKI_DIR``:

    ca.cert.pem / ca.key.pem     a local root CA (EC P-256)
    ca.crl.der                   its CRL (revokes nothing), embedded as validation data
    tsa.cert.pem / tsa.key.pem   an RFC 3161 timestamp authority (RSA: pyHanko's in-process
                                 ``DummyTimeStamper`` is RSA-only) issued by the CA
    signers/<username>.p12       one EC P-256 signer certificate per official

Nothing here touches the network.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings

CRL_URL = "http://pki.inatrade.invalid/ca.crl"


class SigningUnavailable(Exception):
    """The official cannot sign now: certificate missing, unreadable, expired or not yet valid."""


def pki_dir() -> Path:
    return Path(settings.PKI_DIR)


def passphrase_for(env_name: str) -> bytes:
    """The PKCS#12 passphrase, from the environment variable the certificate row names."""
    value = os.environ.get(env_name or "") or settings.PKI_DEV_PASSPHRASE
    if not value:
        raise SigningUnavailable(f"environment variable {env_name!r} holding the passphrase is not set")
    return value.encode()


# --- generation (dev_pki) -----------------------------------------------------------------
def _name(cn: str, org: str = "Kementerian Perdagangan Republik Indonesia") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _cert(*, subject, issuer, public_key, issuer_key, days, ca=False, eku=None, ski_key=None):
    now = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
    else:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=eku is None, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        ).add_extension(
            x509.CRLDistributionPoints(
                [x509.DistributionPoint([x509.UniformResourceIdentifier(CRL_URL)], None, None, None)]
            ),
            critical=False,
        ).add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ski_key), critical=False
        )
        if eku:
            builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


def _write(path: Path, data: bytes, mode: int = 0o600) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(mode)


def generate_dev_pki(
    directory: Path, officials: list[tuple[str, str]], *, passphrase: bytes, signer_days: int = 730
) -> dict[str, Path]:
    """Create CA, CRL, TSA and one PKCS#12 per (username, display name). Returns the .p12 paths."""
    directory = Path(directory)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("INATRADE Development Root CA")
    ca_cert = _cert(subject=ca_name, issuer=ca_name, public_key=ca_key.public_key(), issuer_key=ca_key, days=3650, ca=True)
    _write(directory / "ca.key.pem", ca_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    _write(directory / "ca.cert.pem", ca_cert.public_bytes(serialization.Encoding.PEM), 0o644)

    now = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5)
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_name)
        .last_update(now)
        .next_update(now + dt.timedelta(days=3650))
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    _write(directory / "ca.crl.der", crl.public_bytes(serialization.Encoding.DER), 0o644)

    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa_cert = _cert(
        subject=_name("INATRADE Development Timestamp Authority"), issuer=ca_name,
        public_key=tsa_key.public_key(), issuer_key=ca_key, days=3650,
        eku=[ExtendedKeyUsageOID.TIME_STAMPING], ski_key=ca_key.public_key(),
    )
    _write(directory / "tsa.key.pem", tsa_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    _write(directory / "tsa.cert.pem", tsa_cert.public_bytes(serialization.Encoding.PEM), 0o644)

    paths = {}
    for username, display_name in officials:
        paths[username] = issue_signer_p12(
            directory, username=username, display_name=display_name, passphrase=passphrase, days=signer_days,
            ca_key=ca_key, ca_cert=ca_cert,
        )
    return paths


def issue_signer_p12(directory: Path, *, username: str, display_name: str, passphrase: bytes, days: int = 730,
                     ca_key=None, ca_cert=None, not_after_days_ago: int | None = None) -> Path:
    """An EC P-256 signer certificate for one official, as PKCS#12 (dev CA)."""
    directory = Path(directory)
    if ca_key is None:
        ca_key = serialization.load_pem_private_key((directory / "ca.key.pem").read_bytes(), None)
        ca_cert = x509.load_pem_x509_certificate((directory / "ca.cert.pem").read_bytes())
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _cert(
        subject=_name(display_name), issuer=ca_cert.subject, public_key=key.public_key(), issuer_key=ca_key,
        days=days, ski_key=ca_key.public_key(),
    )
    if not_after_days_ago is not None:  # an expired certificate, for tests (REL-06)
        past = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=not_after_days_ago)
        cert = (
            x509.CertificateBuilder(extensions=list(cert.extensions))
            .subject_name(cert.subject).issuer_name(cert.issuer).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(past - dt.timedelta(days=365)).not_valid_after(past)
            .sign(ca_key, hashes.SHA256())
        )
    data = pkcs12.serialize_key_and_certificates(
        username.encode(), key, cert, [ca_cert], serialization.BestAvailableEncryption(passphrase)
    )
    path = directory / "signers" / f"{username}.p12"
    _write(path, data)
    return path


# --- loading (signing and validation) -----------------------------------------------------
def _load_asn1_cert(path: Path) -> asn1_x509.Certificate:
    data = Path(path).read_bytes()
    if asn1_pem.detect(data):
        _, _, data = asn1_pem.unarmor(data)
    return asn1_x509.Certificate.load(data)


@dataclass(frozen=True)
class TrustMaterial:
    roots: tuple
    crls: tuple


def _stamp(path: Path) -> tuple[str, float]:
    path = Path(path)
    return str(path), (path.stat().st_mtime if path.exists() else 0.0)


def trust_material() -> TrustMaterial:
    roots = tuple(settings.PKI_TRUST_ROOTS or [pki_dir() / "ca.cert.pem"])
    crls = tuple(settings.PKI_CRLS or [pki_dir() / "ca.crl.der"])
    return _trust_material(tuple(_stamp(p) for p in roots), tuple(_stamp(p) for p in crls))


@functools.lru_cache(maxsize=8)
def _trust_material(roots, crls) -> TrustMaterial:
    loaded_roots = tuple(_load_asn1_cert(Path(p)) for p, _ in roots if Path(p).exists())
    loaded_crls = []
    for p, _ in crls:
        if Path(p).exists():
            data = Path(p).read_bytes()
            if asn1_pem.detect(data):
                _, _, data = asn1_pem.unarmor(data)
            loaded_crls.append(asn1_crl.CertificateList.load(data))
    return TrustMaterial(loaded_roots, tuple(loaded_crls))


def validation_context(*, for_signing: bool = False):
    """A pyHanko ValidationContext trusting only our configured roots, offline, with our CRLs."""
    from pyhanko_certvalidator import ValidationContext

    material = trust_material()
    if not material.roots:
        raise SigningUnavailable("no trust root configured (run `manage.py dev_pki` in development)")
    return ValidationContext(
        trust_roots=list(material.roots),
        crls=list(material.crls),
        allow_fetching=False,
        revocation_mode="soft-fail" if not for_signing else "hard-fail",
    )


def timestamper():
    """The RFC 3161 timestamp authority: an HTTP TSA when TSA_URL is set, else the local one."""
    if settings.PKI_TSA_URL:
        from pyhanko.sign.timestamps import HTTPTimeStamper

        return HTTPTimeStamper(settings.PKI_TSA_URL, timeout=10)
    cert_path = Path(settings.PKI_TSA_CERT or pki_dir() / "tsa.cert.pem")
    key_path = Path(settings.PKI_TSA_KEY or pki_dir() / "tsa.key.pem")
    if not cert_path.exists() or not key_path.exists():
        raise SigningUnavailable("the timestamp authority is not configured (run `manage.py dev_pki`)")
    return _local_timestamper(_stamp(cert_path), _stamp(key_path), tuple(_stamp(p) for p in _root_paths()))


def _root_paths():
    return settings.PKI_TRUST_ROOTS or [pki_dir() / "ca.cert.pem"]


@functools.lru_cache(maxsize=4)
def _local_timestamper(cert, key, roots):
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    data = Path(key[0]).read_bytes()
    _, _, der = asn1_pem.unarmor(data)
    return DummyTimeStamper(
        tsa_cert=_load_asn1_cert(Path(cert[0])),
        tsa_key=asn1_keys.PrivateKeyInfo.load(der),
        certs_to_embed=[_load_asn1_cert(Path(p)) for p, _ in roots if Path(p).exists()],
    )


def load_signer(pkcs12_path: str, passphrase_env: str):
    """A pyHanko signer for one official's PKCS#12, cached per file version (EC keys load fast,
    but there is no reason to parse the archive for every permit)."""
    path = Path(pkcs12_path)
    if not path.is_absolute():
        path = pki_dir() / path
    if not path.exists():
        raise SigningUnavailable(f"certificate file {path.name} not found")
    return _load_signer(_stamp(path), passphrase_for(passphrase_env), tuple(_stamp(p) for p in _root_paths()))


def load_signer_data(data: bytes, passphrase_env: str, *, label: str = "PKCS#12"):
    """A pyHanko signer from PKCS#12 bytes kept in the database (issue 19), cached by digest."""
    import hashlib

    data = bytes(data)
    key = (hashlib.sha256(data).hexdigest(), label)
    _P12_BYTES[key[0]] = data
    return _load_signer(key, passphrase_for(passphrase_env), tuple(_stamp(p) for p in _root_paths()))


_P12_BYTES: dict[str, bytes] = {}


def _p12_bytes(stamp) -> bytes:
    if stamp[0] in _P12_BYTES:
        return _P12_BYTES[stamp[0]]
    return Path(stamp[0]).read_bytes()


@functools.lru_cache(maxsize=32)
def _load_signer(stamp, passphrase: bytes, roots):
    from pyhanko.sign import signers

    try:
        signer = signers.SimpleSigner.load_pkcs12_data(
            _p12_bytes(stamp),
            other_certs=[_load_asn1_cert(Path(p)) for p, _ in roots if Path(p).exists()],
            passphrase=passphrase,
        )
    except Exception as exc:  # noqa: BLE001 - wrong passphrase, corrupt file
        raise SigningUnavailable(f"certificate {_label(stamp)} cannot be opened: {exc}") from exc
    if signer is None:
        raise SigningUnavailable(f"certificate {_label(stamp)} cannot be opened")
    now = dt.datetime.now(dt.timezone.utc)
    validity = signer.signing_cert["tbs_certificate"]["validity"]
    if validity["not_after"].native < now:
        raise SigningUnavailable(f"the certificate of {signer.signing_cert.subject.human_friendly} expired "
                                 f"on {validity['not_after'].native:%Y-%m-%d}")
    if validity["not_before"].native > now:
        raise SigningUnavailable("the certificate is not valid yet")
    return signer


def _label(stamp) -> str:
    return str(stamp[1]) if stamp[0] in _P12_BYTES else f"file {Path(stamp[0]).name}"


def describe_p12(pkcs12_path: Path | bytes, passphrase: bytes) -> dict:
    """Subject, serial and validity of a PKCS#12 (a file or its bytes), for the certificate's row."""
    data = pkcs12_path if isinstance(pkcs12_path, (bytes, bytearray, memoryview)) else Path(pkcs12_path).read_bytes()
    _, cert, _ = pkcs12.load_key_and_certificates(bytes(data), passphrase)
    return {
        "subject": cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value,
        "serial": format(cert.serial_number, "x"),
        "not_before": cert.not_valid_before_utc,
        "not_after": cert.not_valid_after_utc,
    }


def clear_caches() -> None:
    _trust_material.cache_clear()
    _local_timestamper.cache_clear()
    _load_signer.cache_clear()
    _P12_BYTES.clear()
