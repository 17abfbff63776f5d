"""Masking of secrets in any text amlwizard shows, logs, saves or reports.

``mask_secrets`` replaces keys, tokens, passwords, SAS signatures, credentials in URLs and private
key blocks by ``***`` and keeps the text around them readable (``AZURE_CLIENT_SECRET=***``,
``https://user:***@host``); ``LineMasker`` does the same for a log arriving one line at a time.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

__all__ = ["mask_secrets", "mask_json", "mask_value", "LineMasker", "MASK"]

MASK = "***"

# How it is built (measured against detect-secrets in benchmarks/bench_secrets.py):
# - No rule moves a quote, a backslash or a line break: masked JSON still parses, and a masked text
#   has as many lines as the original (evidence line numbers stay right).
# - Every quantifier is bounded and each pattern starts with a literal or a character class, so `re`
#   skips ordinary text fast; a pass whose trigger words are absent is not run. Linear in the input.
# - The token shapes (GitHub, AWS, Slack, Stripe, JWT, private key headers, basic-auth URLs, entropy
#   of a random key) are those of Yelp's detect-secrets plugins. Its keyword rule is replaced by a
#   wider one (any name ending in a secret word, camelCase and escaped JSON too) that masks only the
#   value, never the name: detect-secrets itself is not a dependency (its adhoc scan also marks every
#   word of a log, and it misses most formats here; see the benchmark).

# A quote as it appears in plain text, in a JSON string (\"), nested JSON (\\\"), \u0022 or %22.
_Q = r"""(?:\\{0,7}["']|\\{1,7}u002[27]|%2[27])"""
# Before a word's first letter (the `.`): not a letter or digit, unless an escape ends there (%22, \u0022).
_BOUNDARY = r"(?:(?<![A-Za-z0-9].)|(?<=%[0-9A-Fa-f]{2}.)|(?<=u002[27].))"
_WEAK = ("key", "token")  # common words: the value must look like a secret (see _looks_secret)
# A value: quoted (may hold spaces; ends at a quote or a backslash) or bare (ends at a delimiter or
# a URL-encoded `&`: %26, %2526). `$VAR` and `${VAR}` name a secret without holding it.
_QUOTED = r"(?:[^\"'\\\r\n%]|%(?!2[27])){1,1000}"
_BARE = r"(?![$][({A-Za-z_])(?:[^\s\"'&;,<>()\[\]{}\\%|`]|%(?!26|2526|2[27])){3,1000}"
_VALUE = rf"(?:(?P<q>{_Q})(?P<qv>{_QUOTED})|(?P<bv>{_BARE}))"

# NAME = value, NAME: value, "NAME": "value", NAME%3Dvalue, where NAME ends in a secret word:
# password, API_KEY, client_secret, MSI_SECRET, accountKey, sasToken, Pwd (never PWD: a folder).
_NAMED = re.compile(
    rf"""
    (?P<keep>
        (?P<w>
            [AaKkPpSsTt]
            (?:
                {_BOUNDARY}
                (?i:(?<=p)ass(?:word|wd|phrase)|(?<=s)ecret(?:key)?|(?<=a)(?:pi|ccess|ccount)key
                    |(?<=p)rivatekey|(?<=k)ey|(?<=t)oken)
              | (?<=[KTSP])(?:ey|oken|ecret|assword|asswd)     # camelCase: accountKey, sasToken
              | (?<=[Pp]){_BOUNDARY}wd
            )
        )
        (?![A-Za-z0-9])
        (?:{_Q}\]?)?[ \t]{{0,5}}
        (?:[:=]|%3[AaDd]|%253[AaDd])[ \t]{{0,5}}
    )
    {_VALUE}
    """,
    re.VERBOSE,
)
# ?sig= of a SAS, ?code= of an Azure Functions key; also URL-encoded (%26sig%3D) inside another URL.
_QUERY = re.compile(
    rf"(?P<keep>[?&;%\\](?:(?<=[?&;])|(?<=%)(?:26|2526|3[Ff]|253[Ff])|(?<=\\)u0026)"
    rf"(?:sig|code)(?:=|%3[Dd]|%253[Dd])){_VALUE}"
)
# --password X, --client-secret X, --account-key "X", --sas-token=X
_FLAG = re.compile(
    rf"(?P<keep>--(?<![\w-]--)(?:[A-Za-z0-9]+-){{0,4}}(?P<fw>password|passwd|secret|token|key)"
    rf"(?:=|[ \t]{{1,5}})(?!-)){_VALUE}"
)
# docker login -u NAME -p X, az login --service-principal -u ID -p X
_LOGIN_P = re.compile(rf"(?P<keep>login\b(?<![A-Za-z0-9_]login)[^\n]{{0,300}}?[ \t]-p[ \t]{{1,5}}){_VALUE}")
# values that name no secret: empty markers, Python annotations (`password: str | None`)
_NOT_SECRET = {"none", "null", "true", "false", "undefined", "nil", "str", "bytes", "optional", "any"}

_URL_USERINFO = re.compile(r"(?P<keep>://[^\s:/@\"'<>\\]{0,200}:)(?P<pw>[^\s/\"'<>\\]{1,500})@")
_SCHEMES = "bearer|basic|token|sharedkey|sharedaccesssignature|negotiate|ntlm|digest"
_AUTH_HEADER = re.compile(
    rf"""(?P<keep>
        [AaBb](?<![A-Za-z0-9].)
        (?:
            (?<=[Aa])(?i:uthorization)(?:\\{{0,7}}["'])?[ \t]{{0,5}}[:=][ \t]{{0,5}}(?:\\{{0,7}}["'])?
            (?:(?i:{_SCHEMES})[ \t]{{1,5}})?(?!(?i:{_SCHEMES})\b)
          | (?<=[Bb])earer[ \t]{{1,5}}(?=[A-Za-z0-9._~+/=-]{{16}})
        )
    )
    (?P<v>(?!<)[^\s"'\\,]{{4,4000}})
    """,
    re.VERBOSE,
)
# ('AbC...', 'XyZ...'): what print(service.get_keys()) shows
_KEY_PAIR = re.compile(
    r"(?P<a>\(\s{0,5}['\"])(?P<k1>[A-Za-z0-9+/=_-]{16,200})(?P<b>['\"]\s{0,5},\s{0,5}['\"])"
    r"(?P<k2>[A-Za-z0-9+/=_-]{16,200})(?P<c>['\"]\s{0,5}\))"
)
# Tokens known by their shape, each with the literal that must be in the text for it to be looked for:
# detect-secrets' GitHub, AWS, Slack, Stripe, JWT plugins and a few more; an Azure AD client secret
# (the `8Q~` of the secrets made since 2021).
_TOKENS: list[tuple[tuple[str, ...], re.Pattern[str]]] = [
    (("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
     re.compile(r"gh[pousr]_(?<![A-Za-z0-9_]gh[pousr]_)[A-Za-z0-9_]{30,255}")),
    (("github_pat_",), re.compile(r"github_pat_[A-Za-z0-9_]{20,255}")),
    (("A3T", "AKIA", "ASIA", "ABIA", "ACCA"),
     re.compile(r"A(?<![A-Za-z0-9].)(?:3T[A-Z0-9]|KIA|SIA|BIA|CCA)[A-Z0-9]{16}(?![A-Z0-9])")),
    (("xox",), re.compile(r"xox[abposr]-[A-Za-z0-9-]{10,250}")),
    (("k_live_", "k_test_"), re.compile(r"[rs]k_(?:live|test)_[A-Za-z0-9]{16,250}")),
    (("hf_",), re.compile(r"hf_(?<![A-Za-z0-9_]hf_)[A-Za-z0-9]{30,250}")),
    (("npm_",), re.compile(r"npm_[A-Za-z0-9]{36}")),
    (("pypi-AgEI",), re.compile(r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,500}")),
    (("AIza",), re.compile(r"AIza[0-9A-Za-z_-]{35}")),
    (("SG.",), re.compile(r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}")),
    (("eyJ",), re.compile(r"eyJ[A-Za-z0-9_-]{8,4000}\.[A-Za-z0-9_-]{4,4000}\.[A-Za-z0-9_-]{0,4000}")),
    (("sk-",), re.compile(r"sk-(?<![A-Za-z0-9_-]sk-)(?=[A-Za-z0-9_-]{0,300}?[0-9])[A-Za-z0-9_-]{20,300}")),
    (("Q~",), re.compile(r"[\w~.-](?<![\w~.-].)[\w~.-]{2}[0-9]Q~[\w~.-]{31,34}(?![\w~.-])", re.ASCII)),
]  # fmt: skip
# -----BEGIN ... PRIVATE KEY----- up to its END line (or, cut short, up to a quote or 20 000 chars):
# the body never crosses a quote, so a key inside a JSON string is masked inside that string only.
_PEM = re.compile(
    r"(?P<begin>-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----)"
    r"(?P<body>(?:[^-\"']|-(?!----END)){0,20000})"
)
_PEM_RUN = re.compile(r"(\\+(?:u[0-9A-Fa-f]{4}|\S)?)|[^\s\"'\\]+")  # escapes stay, the rest goes
# Long base64-looking runs with the entropy of a random key (storage keys, a docker `auth`, a PEM line
# seen alone); hex digests, GUIDs, paths and identifiers stay (see _high_entropy).
_LONG = re.compile(r"[A-Za-z0-9+/_-](?<![A-Za-z0-9+/_-].)[A-Za-z0-9+/_-]{31,2000}={0,2}(?![A-Za-z0-9+/=_-])")
_HEX = re.compile(r"[0-9A-Fa-f-]+")
_FOLDER = re.compile(r"(?:^|/)[a-z]{5,}(?:/|$)")
_WORDLIKE = re.compile(r"[a-z]{4,}")
_ENTROPY = 4.3  # bits a character; detect-secrets flags base64 at 4.5 but sees longer strings


def _looks_secret(value: str) -> bool:
    """A value a bare `key`/`token` name gives away: long, with digits or mixed case, not a word."""
    if len(value) < 8:
        return False
    has_digit = any(c.isdigit() for c in value)
    return has_digit or (any(c.isupper() for c in value) and any(c.islower() for c in value))


def _value(m: re.Match[str]) -> str:
    value = m.group("qv") if m.group("qv") is not None else m.group("bv")
    if value.strip().lower() in _NOT_SECRET or set(value) <= {"*"} or value[0] + value[-1] == "<>":
        return m.group(0)
    groups = m.groupdict()
    if value.isalpha() and value.islower() and ":" in m.group("keep"):
        after = m.string[m.end() : m.end() + 2]
        if after[:1] == " " and after[1:].isalpha():
            return m.group(0)  # prose ("a secret: never print it"), not a value
    word = (groups.get("w") or groups.get("fw") or "").lower()
    if word in _WEAK and not _looks_secret(value):
        return m.group(0)
    return m.group("keep") + (m.group("q") or "") + MASK


def _entropy(text: str) -> float:
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in Counter(text).values())


def _high_entropy(m: re.Match[str]) -> str:
    token = m.group(0).rstrip("=")
    if _HEX.fullmatch(token):
        return m.group(0)
    digits = sum(c.isdigit() for c in token)
    if digits < 2 or not any(c.isupper() for c in token) or not any(c.islower() for c in token):
        return m.group(0)
    # a path (a folder named in lowercase) or an identifier (mostly words) is no key: in random
    # base64, fewer than 1 string in 1000 is half made of lowercase runs of 4+ letters
    if _FOLDER.search(token) or sum(map(len, _WORDLIKE.findall(token))) * 2 >= len(token):
        return m.group(0)
    return MASK if _entropy(token) >= _ENTROPY else m.group(0)


def _key_pair(m: re.Match[str]) -> str:
    def secret(k: str) -> bool:
        return any(c.isdigit() for c in k) and any(c.isupper() for c in k) and any(c.islower() for c in k)

    if not (secret(m.group("k1")) and secret(m.group("k2"))):
        return m.group(0)
    return m.group("a") + MASK + m.group("b") + MASK + m.group("c")


def _pem(m: re.Match[str]) -> str:
    return m.group("begin") + _PEM_RUN.sub(lambda r: r.group(1) or MASK, m.group("body"))


# (words of which one must be in the lowercased text, pattern, replacement), in order
_PASSES: list[tuple[tuple[str, ...], re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (("private key",), _PEM, _pem),
    (("://",), _URL_USERINFO, lambda m: m.group("keep") + MASK + "@"),
    (("authoriz", "bearer"), _AUTH_HEADER, lambda m: m.group("keep") + MASK),
    (("pass", "secret", "key", "token", "pwd"), _NAMED, _value),
    (("sig", "code"), _QUERY, _value),
    (("--",), _FLAG, _value),
    (("login",), _LOGIN_P, _value),
    (("(",), _KEY_PAIR, _key_pair),
]


def mask_secrets(text: str) -> str:
    """Return ``text`` with every secret it holds replaced by ``***`` (the same number of lines)."""
    if not text:
        return text
    low = text.lower()
    for words, pattern, replace in _PASSES:
        if any(w in low for w in words):
            text = pattern.sub(replace, text)
    for literals, pattern in _TOKENS:
        if any(s in text for s in literals):
            text = pattern.sub(MASK, text)
    return _LONG.sub(_high_entropy, text)


def mask_json(value: Any) -> Any:
    """``mask_secrets`` for a JSON-ready value (a response body, a saved session): its JSON text is
    masked, so a key is seen beside its value (``{"password": "..."}``), then each string again."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    try:
        value = json.loads(mask_secrets(text))
    except ValueError:  # a bare number masked (`"key": 12345678` -> `"key": ***`): strings only
        value = json.loads(text)
    return _strings_masked(value)


def _strings_masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_secrets(value)
    if isinstance(value, dict):
        return {k: _strings_masked(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_strings_masked(v) for v in value]
    return value


class LineMasker:
    """``mask_secrets`` for a log read line by line: a private key block spanning lines is masked
    from its BEGIN line to its END line, which one line alone cannot show."""

    def __init__(self) -> None:
        self._in_key = False

    def __call__(self, line: str) -> str:
        if self._in_key:
            end = line.find("-----END")
            if end < 0:
                return _PEM_RUN.sub(lambda r: r.group(1) or MASK, line)
            self._in_key = False
            return _PEM_RUN.sub(lambda r: r.group(1) or MASK, line[:end]) + mask_secrets(line[end:])
        begin = _PEM.search(line)
        if begin and "-----END" not in line[begin.end() :]:
            self._in_key = True
        return mask_secrets(line)


def mask_value(secret: str | None) -> str:
    """Mask a secret value on its own (a service key), keeping its last 4 characters as a hint."""
    if not secret:
        return ""
    return MASK + secret[-4:] if len(secret) > 12 else MASK
