"""Outgoing webhook requests that cannot be turned against the portal's own network (SSRF).

An endpoint must be an ``https://`` URL whose host resolves only to public addresses. The
check runs when the endpoint is registered and again before every delivery: the name is
resolved, *every* address is checked, and the connection goes to the checked address (the
``Host`` header and TLS server name stay the endpoint's host name, so the certificate is
verified against it). Redirects are never followed. Private, loopback, link-local,
multicast, reserved and shared (CGNAT) addresses are refused.

``WEBHOOKS_ALLOW_PRIVATE_HOSTS`` (default off, for tests and local development only) admits
such addresses and plain ``http://`` for them, so that a test can run a receiver on loopback.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import certifi
import urllib3
from django.conf import settings
from django.utils.translation import gettext as _


class UnsafeUrl(ValueError):
    """The URL may not be called; the message says why (shown to the company)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


def _allow_private() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_HOSTS", False))


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local or ip.is_private)


def _resolve(host: str, port: int) -> tuple[str, ...]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeUrl(_("Nama host tidak dapat di-resolve: %(host)s") % {"host": host}) from exc
    addresses = tuple(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise UnsafeUrl(_("Nama host tidak memiliki alamat: %(host)s") % {"host": host})
    return addresses


def check_url(url: str) -> Target:
    """Parse, resolve and check ``url``; raises UnsafeUrl. Used at registration and delivery."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    allow_private = _allow_private()
    if scheme != "https" and not (allow_private and scheme == "http"):
        raise UnsafeUrl(_("Endpoint harus berupa alamat https://."))
    if parts.username or parts.password:
        raise UnsafeUrl(_("Endpoint tidak boleh memuat nama pengguna atau kata sandi."))
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeUrl(_("Endpoint tidak memiliki nama host."))
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeUrl(_("Nomor port tidak valid.")) from exc
    addresses = _resolve(host, port)
    if not allow_private:
        refused = [a for a in addresses if not _is_public(a)]
        if refused:
            raise UnsafeUrl(
                _("Endpoint harus berupa alamat publik; %(host)s menunjuk ke %(address)s.")
                % {"host": host, "address": refused[0]}
            )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(scheme=scheme, host=host, port=port, path=path, addresses=addresses)


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> tuple[int, bytes]:
    """POST ``body`` to ``url`` over a connection to a checked address; returns (status,
    first bytes of the answer). Raises UnsafeUrl or urllib3/socket errors."""
    target = check_url(url)
    address = target.addresses[0]
    headers = {**headers, "Host": target.host if target.port in (80, 443) else f"{target.host}:{target.port}"}
    timeout_obj = urllib3.Timeout(connect=timeout, read=timeout)
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address, target.port, timeout=timeout_obj, retries=False, maxsize=1,
            cert_reqs="CERT_REQUIRED", ca_certs=certifi.where(),
            server_hostname=target.host, assert_hostname=target.host,
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, target.port, timeout=timeout_obj, retries=False, maxsize=1)
    try:
        response = pool.urlopen(
            "POST", target.path, body=body, headers=headers, redirect=False, retries=False,
            assert_same_host=False, preload_content=False,
        )
        try:
            head = response.read(2048, decode_content=False) or b""
        finally:
            response.release_conn()
        return response.status, head
    finally:
        pool.close()
