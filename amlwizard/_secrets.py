"""Masking of secrets in any text amlwizard shows, logs, saves or reports.

Service keys, bearer tokens, ``Authorization`` headers, SAS signatures, storage account keys and
connection-string secrets are replaced by ``***`` while the text around them stays readable.
"""

from __future__ import annotations

import re

__all__ = ["mask_secrets", "mask_value", "MASK"]

MASK = "***"

# Each alternative keeps a readable prefix (group "keep") and masks what follows it.
_SECRET = re.compile(
    r"""
    (?P<keep>
        \bAuthorization\s*[:=]\s*(?:(?:Bearer|Basic|Token|SharedKey)\s+)?   # HTTP header (any scheme)
      | \bBearer\s+                                                         # a bare bearer token
      | [?&;]sig=                                                           # SAS signature
      | \b(?:AccountKey|SharedAccessKey|SharedAccessSignature|InstrumentationKey
            |Password|Pwd|ClientSecret|client_secret|api[_-]?key)\s*=\s*     # connection strings, query args
      | ["']?\b(?:primaryKey|secondaryKey|primary_key|secondary_key|accessToken|access_token
            |refreshToken|refresh_token|password|clientSecret|client_secret|apiKey|api_key
            |token|key)["']?\s*[:=]\s*["']?                                  # JSON / dict / kwargs
    )
    (?P<secret>[^\s"'&;,})\]]{4,})
    | (?P<jwt>\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*)     # a JWT anywhere
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _replace(match: re.Match[str]) -> str:
    if match.group("jwt"):
        return MASK
    return match.group("keep") + MASK


def mask_secrets(text: str) -> str:
    """Return ``text`` with every secret it holds replaced by ``***``."""
    if not text:
        return text
    return _SECRET.sub(_replace, text)


def mask_value(secret: str | None) -> str:
    """Mask a secret value on its own (a service key), keeping its last 4 characters as a hint."""
    if not secret:
        return ""
    return MASK + secret[-4:] if len(secret) > 12 else MASK
