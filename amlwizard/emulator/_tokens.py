"""The emulator's credentials: signed bearer tokens, the managed-identity secret, service keys, SAS sigs.

Everything is derived from a random secret made when the emulator starts (HMAC-SHA256), so only who got a
token, a key or the MSI secret from this emulator can use it: another local user cannot read the workspace.
The SDK reads only a token's ``exp`` and ``tid`` claims; the emulator is the only party that checks them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

from ..scenarios import WORKSPACE

__all__ = ["Credentials"]

_AUDIENCE = "https://management.azure.com/"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Credentials:
    """The secrets of one emulator. ``msi_secret`` is what ``MSI_SECRET`` must hold for its MSI endpoint."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)
        self.msi_secret = secrets.token_urlsafe(24)

    def _mac(self, *parts: str) -> bytes:
        return hmac.new(self._key, "\x1f".join(parts).encode(), hashlib.sha256).digest()

    # -- bearer tokens (ARM, model management, artifacts) -------------------------------------------
    def issue_token(self, lifetime_s: int = 24 * 3600) -> str:
        """A JWT (HS256, signed with this emulator's secret) for the workshop's student."""
        now = int(time.time())
        claims = {
            "aud": _AUDIENCE,
            "iss": f"https://sts.windows.net/{WORKSPACE['tenant_id']}/",
            "iat": now,
            "nbf": now,
            "exp": now + lifetime_s,
            "tid": WORKSPACE["tenant_id"],
            "oid": "3c9a1e52-7b4d-4f0e-a8c6-2d1b9e7f5a30",
            "upn": "student@contoso.com",
        }
        head = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        body = _b64(json.dumps(claims).encode())
        return f"{head}.{body}.{_b64(self._mac('jwt', head, body))}"

    def check_token(self, authorization: str | None) -> str | None:
        """None when ``authorization`` is ``Bearer <a token this emulator issued, not expired>``; else the
        reason, as ARM names it: ``missing``, ``invalid`` or ``expired``."""
        scheme, _, token = (authorization or "").partition(" ")
        if not token or scheme.lower() != "bearer":
            return "missing"
        try:
            head, body, signature = token.strip().split(".")
            good = hmac.compare_digest(_unb64(signature), self._mac("jwt", head, body))
            claims: dict[str, Any] = json.loads(_unb64(body)) if good else {}
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return "invalid"
        if not good or claims.get("tid") != WORKSPACE["tenant_id"]:
            return "invalid"
        return "expired" if float(claims.get("exp", 0)) < time.time() else None

    def check_msi_secret(self, given: str | None) -> bool:
        """The ``secret`` header the SDK's managed-identity client sends (msrestazure, azure-identity)."""
        return given is not None and hmac.compare_digest(given.encode(), self.msi_secret.encode())

    # -- service keys and blob SAS signatures --------------------------------------------------------
    def service_keys(self, service: str) -> tuple[str, str]:
        """A service's primary and secondary keys (32 hex characters, as Azure ML's are long and opaque)."""
        return self._mac("pk", service).hex()[:32], self._mac("sk", service).hex()[:32]

    def check_service_key(self, service: str, authorization: str | None) -> str | None:
        """None when ``authorization`` is ``Bearer <a key of the service>``; else ``missing``/``invalid``."""
        scheme, _, key = (authorization or "").partition(" ")
        if not key or scheme.lower() != "bearer":
            return "missing"
        ok = any(hmac.compare_digest(key.strip().encode(), k.encode()) for k in self.service_keys(service))
        return None if ok else "invalid"

    def sas_signature(self, resource: str) -> str:
        """The ``sig`` of a read-only SAS URL for ``resource`` (a model file)."""
        return _b64(self._mac("sas", resource))

    def check_sas(self, resource: str, sig: str | None) -> bool:
        return sig is not None and hmac.compare_digest(sig.encode(), self.sas_signature(resource).encode())
