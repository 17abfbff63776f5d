"""The tokens the emulator issues (its managed-identity endpoint, and ``Emulator.issue_token`` in-process).

The SDK only reads a token's ``exp`` and ``tid`` claims; the emulator is the only party that checks them.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from ..scenarios import WORKSPACE

__all__ = ["issue_token"]


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def issue_token(lifetime_s: int = 24 * 3600) -> str:
    """A JWT for the emulated tenant, as Azure AD would issue it to the workshop's student."""
    now = int(time.time())
    claims = {
        "aud": "https://management.azure.com/",
        "iss": f"https://sts.windows.net/{WORKSPACE['tenant_id']}/",
        "iat": now,
        "nbf": now,
        "exp": now + lifetime_s,
        "tid": WORKSPACE["tenant_id"],
        "oid": "3c9a1e52-7b4d-4f0e-a8c6-2d1b9e7f5a30",
        "upn": "student@contoso.com",
    }
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}.emulator"
