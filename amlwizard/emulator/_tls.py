"""The emulator's throwaway certificate authority and server certificate, made at start with trustme.

The client trusts a bundle of certifi's CAs (or the bundle the process already trusts) plus the test CA,
so other HTTPS in the same process keeps working.
"""

from __future__ import annotations

import atexit
import os
import shutil
import ssl
import threading
from pathlib import Path

from .._files import owned_tempdir

__all__ = ["TestCA", "shared_ca"]

_LOCK = threading.Lock()
_SHARED: TestCA | None = None


class TestCA:
    """A CA that signed a certificate for 127.0.0.1 / localhost, written as PEM files in ``folder``."""

    def __init__(self, folder: Path) -> None:
        import trustme

        self._ca = trustme.CA(organization_name="amlwizard emulator test CA")
        self._cert = self._ca.issue_cert("127.0.0.1", "localhost")
        self.ca_path = folder / "emulator-ca.pem"
        self.bundle_path = folder / "ca-bundle.pem"
        self._ca.cert_pem.write_to_path(str(self.ca_path))
        self.bundle_path.write_bytes(_existing_bundle() + b"\n" + self._ca.cert_pem.bytes())

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._cert.configure_cert(ctx)
        return ctx


def _existing_bundle() -> bytes:
    """The CAs the process trusts: its REQUESTS_CA_BUNDLE if set (e.g. a corporate proxy), else certifi's."""
    current = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if current and Path(current).is_file():
        return Path(current).read_bytes()
    import certifi

    return Path(certifi.where()).read_bytes()


def shared_ca() -> TestCA:
    """The process's one test CA (its folder is removed at exit): every emulator of a process uses it, so
    one CA bundle in ``REQUESTS_CA_BUNDLE`` trusts them all."""
    global _SHARED
    with _LOCK:
        if _SHARED is None:
            folder = owned_tempdir("amlwizard-ca-")
            atexit.register(shutil.rmtree, folder, True)
            _SHARED = TestCA(folder)
        return _SHARED
