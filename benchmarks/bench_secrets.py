"""Benchmark: secret masking approaches on the table of secret formats, the table of lines users must
read as they are, and a 5000-line scoring-container log.

    python benchmarks/bench_secrets.py          # best of 5 timings
    python benchmarks/bench_secrets.py --quick  # best of 2

Approaches: the single regex amlwizard had before (baseline), Yelp's detect-secrets 1.5 with all its
plugins (line by line, as its adhoc scan does, high-entropy hits held to each plugin's own entropy
limit), a hybrid of amlwizard's rules then detect-secrets, and amlwizard's ``mask_secrets``. The
tables live in devtools/secret_formats.py (the tests use them too). Exits 1 when ``mask_secrets``
misses a format, damages a non-secret, or is not linear on adversarial input.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # amlwizard and devtools/ of this checkout

from _measure import Targets  # noqa: E402

from amlwizard._secrets import mask_secrets  # noqa: E402
from devtools.secret_formats import FORMATS, NON_SECRETS  # noqa: E402

LOG_LINES = 5000

# The masking amlwizard had before this benchmark (kept verbatim as the baseline).
_BEFORE = re.compile(
    r"""
    (?P<keep>
        \bAuthorization\s*[:=]\s*(?:(?:Bearer|Basic|Token|SharedKey)\s+)?
      | \bBearer\s+
      | [?&;]sig=
      | \b(?:AccountKey|SharedAccessKey|SharedAccessSignature|InstrumentationKey
            |Password|Pwd|ClientSecret|client_secret|api[_-]?key)\s*=\s*
      | ["']?\b(?:primaryKey|secondaryKey|primary_key|secondary_key|accessToken|access_token
            |refreshToken|refresh_token|password|clientSecret|client_secret|apiKey|api_key
            |token|key)["']?\s*[:=]\s*["']?
    )
    (?P<secret>[^\s"'&;,})\]]{4,})
    | (?P<jwt>\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*)
    """,
    re.IGNORECASE | re.VERBOSE,
)


def mask_before(text: str) -> str:
    return _BEFORE.sub(lambda m: "***" if m.group("jwt") else m.group("keep") + "***", text)


def detect_secrets_masker() -> tuple[Callable[[str], str] | None, str]:
    """detect-secrets as a masker: every value its plugins report on a line becomes ***."""
    try:
        started = time.perf_counter()
        from detect_secrets.core.scan import scan_line
        from detect_secrets.settings import default_settings, get_plugins

        import_s = time.perf_counter() - started
    except ImportError:
        return None, "not installed (pip install detect-secrets)"
    settings = default_settings()  # every plugin, as `detect-secrets scan` has them
    settings.__enter__()  # kept for the whole run (its exit would drop the plugins)
    plugins = {plugin.secret_type: plugin for plugin in get_plugins()}

    def found(line: str) -> set[str]:
        values = set()
        for secret in scan_line(line):
            plugin = plugins[secret.type]
            limit = getattr(plugin, "entropy_limit", None)  # adhoc scans report every candidate
            if limit is not None and plugin.calculate_shannon_entropy(secret.secret_value) <= limit:
                continue
            if secret.secret_value:
                values.add(secret.secret_value)
        return values

    def mask(text: str, _settings: object = settings) -> str:
        out = []
        for line in text.split("\n"):
            for value in sorted(found(line), key=len, reverse=True):
                line = line.replace(value, "***")
            out.append(line)
        return "\n".join(out)

    return mask, f"imports in {import_s * 1000:.0f} ms"


def realistic_log() -> str:
    """The workshop scenarios' container logs, cycled to LOG_LINES lines, a secret every 100 lines."""
    scenarios = HERE.parent / "amlwizard" / "scenarios"
    lines = [
        line for path in sorted(scenarios.glob("*/logs/main.log")) for line in path.read_text().splitlines()
    ]
    out = []
    for i in range(LOG_LINES):
        if i % 100 == 99:
            out.append(FORMATS[(i // 100) % len(FORMATS)].text.split("\n")[0])
        else:
            out.append(lines[i % len(lines)])
    return "\n".join(out)


def adversarial() -> dict[str, str]:
    """Inputs that make a careless regex backtrack: each about 200 000 characters."""
    n = 200_000
    return {
        "one long base64 line": ("aB3+" * (n // 4)),
        "secret words, no values": ("password=" * (n // 9)),
        "quotes and separators": ('"key": "' * (n // 8)),
        "URL schemes, no @": ("https://u:" * (n // 10)),
        "an unended private key": "-----BEGIN PRIVATE KEY-----\n" + ("QUJD\n" * (n // 5)),
        "long identifiers": ("AccountKeyAccountKey_" * (n // 21)),
    }


def best_of(runs: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def score(mask: Callable[[str], str]) -> tuple[list[str], list[str]]:
    missed = [f.name for f in FORMATS if any(s in mask(f.text) for s in f.secrets)]
    damaged = [t for t in NON_SECRETS if mask(t) != t]
    return missed, damaged


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="best of 2 timings instead of 5")
    args = parser.parse_args(argv)
    runs = 2 if args.quick else 5
    log = realistic_log()

    ds_mask, ds_note = detect_secrets_masker()
    approaches: list[tuple[str, Callable[[str], str] | None, str]] = [
        ("before: one regex (baseline)", mask_before, ""),
        ("detect-secrets 1.5, all plugins", ds_mask, ds_note),
        ("hybrid: mask_secrets + detect-secrets", ds_mask and (lambda t: ds_mask(mask_secrets(t))), ""),
        ("mask_secrets (chosen)", mask_secrets, ""),
    ]
    print(
        f"{len(FORMATS)} secret formats, {len(NON_SECRETS)} non-secrets, a {LOG_LINES}-line log "
        f"({len(log) / 1e6:.2f} MB); best of {runs}"
    )
    print(f"{'approach':<40} {'formats caught':>15} {'non-secrets damaged':>20} {'lines/s':>10}")
    baseline = None
    targets = Targets()
    for name, mask, note in approaches:
        if mask is None:
            print(f"{name:<40} {note}")
            continue
        missed, damaged = score(mask)
        seconds = best_of(1 if "detect" in name else runs, lambda m=mask: m(log))
        rate = LOG_LINES / seconds
        baseline = baseline or rate
        print(
            f"{name:<40} {len(FORMATS) - len(missed):>8} / {len(FORMATS):<4} {len(damaged):>12} / "
            f"{len(NON_SECRETS):<5} {rate:>10,.0f}  {note}"
        )
        if name.startswith("mask_secrets"):
            for m in missed:
                print(f"  MISSED: {m}")
            for d in damaged:
                print(f"  DAMAGED: {d!r} -> {mask(d)!r}")
            targets.check(
                "secrets-formats", not missed, f"{len(FORMATS) - len(missed)}/{len(FORMATS)}", "all"
            )
            targets.check("secrets-no-damage", not damaged, f"{len(damaged)} damaged", "0")
        elif missed:
            print(f"  missed: {', '.join(missed)}")

    print("\nmask_secrets on adversarial input (linear: each should take about as long as the log):")
    per_char = best_of(runs, lambda: mask_secrets(log)) / len(log)
    worst = 0.0
    for what, text in adversarial().items():
        seconds = best_of(runs, lambda t=text: mask_secrets(t))
        ratio = seconds / len(text) / per_char
        print(f"  {what:<28} {len(text):>8,} chars {seconds * 1000:8.1f} ms  {ratio:5.1f}x a log's per char")
        worst = max(worst, ratio)
    targets.check("secrets-linear", worst <= 25, f"worst {worst:.1f}x a log's per char", "<= 25x")
    return targets.exit_code()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
