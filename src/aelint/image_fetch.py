"""Downloading an image with --fetch-images: https only, time limits, a byte cap, public addresses only
(unless --allow-private-hosts, as tests against a local server need). Imported only when fetching."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urljoin, urlsplit

from aelint.i18n import N_
from aelint.images import (DOWNLOAD_FAILED, DOWNLOAD_LIMIT, HOST_NOT_FOUND, HOST_NOT_FOUND_BECAUSE, HOST_PRIVATE,
                           NOT_FETCHED_SCHEME, SERVER_ANSWERED, Reason)

FETCH_TIMEOUT = 10.0             # seconds per connection step
FETCH_DEADLINE = 30.0            # seconds per URL in all
FETCH_MAX_BYTES = 20_000_000
FETCH_MAX_REDIRECTS = 3


class FetchError(Exception):
    """Why a URL could not be downloaded; `reason` is the Reason, str() its English text."""

    def __init__(self, key: str, **values):
        self.reason = Reason.of(key, **values)
        super().__init__(str(self.reason))


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
                                 or ip.is_reserved or ip.is_unspecified)


def _connect_address(host: str, port: int, allow_private: bool) -> str:
    """One address of `host` we may connect to; every resolved address must be public unless allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(HOST_NOT_FOUND_BECAUSE, host=repr(host), error=error) from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise FetchError(HOST_NOT_FOUND, host=repr(host))
    if not allow_private and not all(_public(a) for a in addresses):
        raise FetchError(HOST_PRIVATE, host=repr(host))
    return addresses[0]


class _PinnedHTTPS(http.client.HTTPSConnection):
    """Connects to the address we checked (no second DNS lookup), verifying the certificate for `host`."""

    def __init__(self, host: str, address: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def fetch(url: str, allow_private: bool = False, max_bytes: int = FETCH_MAX_BYTES) -> bytes:
    """The bytes at an https URL (plain http only together with `allow_private`, for local tests)."""
    deadline = time.monotonic() + FETCH_DEADLINE
    for _ in range(FETCH_MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme != "https" and not (scheme == "http" and allow_private):
            raise FetchError(NOT_FETCHED_SCHEME, scheme=scheme)
        host = parts.hostname or ""
        port = parts.port or (443 if scheme == "https" else 80)
        address = _connect_address(host, port, allow_private)
        cls = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
        conn = cls(host, address, port, FETCH_TIMEOUT)
        try:
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            conn.request("GET", target, headers={"User-Agent": "aelint", "Accept": "image/jpeg,image/png"})
            response = conn.getresponse()
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location"))
                continue
            if response.status != 200:
                raise FetchError(SERVER_ANSWERED, status=response.status, reason=response.reason)
            length = response.getheader("Content-Length")
            if length and length.isascii() and length.isdigit() and int(length) > max_bytes:
                raise FetchError(DOWNLOAD_LIMIT, limit=max_bytes // 1_000_000)
            chunks, total = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise FetchError(N_("download took too long"))
                chunk = response.read(65536)
                if not chunk:
                    break
                total += len(chunk)
                if total > max_bytes:
                    raise FetchError(DOWNLOAD_LIMIT, limit=max_bytes // 1_000_000)
                chunks.append(chunk)
            return b"".join(chunks)
        except (OSError, http.client.HTTPException) as error:
            raise FetchError(DOWNLOAD_FAILED, error=error) from None
        finally:
            conn.close()
    raise FetchError(N_("too many redirects"))
