"""The failure catalogue: complete for the guide, well-formed, and every entry proven on its examples."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

try:  # Python 3.11+: the regex parser the re module uses
    from re import _parser as sre_parse
    from re._constants import AT, BRANCH, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, SUBPATTERN
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse
    from sre_constants import AT, BRANCH, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, SUBPATTERN

from amlwizard import catalogue
from amlwizard._finding import DEPLOYMENT_STEPS, FAMILIES
from amlwizard._scanning.prefilter import FAST_START, rare_suffix
from amlwizard._scanning.scan import unwrap_line
from amlwizard.catalogue import ENTRIES, Entry
from amlwizard.diagnosis import diagnose

ROOT = Path(__file__).resolve().parents[1]
GUIDE_IDS = [
    "schedule-insufficient-resources",
    "service-launch-crashloop",
    "model-path-not-found",
    "run-failure",
    "http-502",
    "http-503",
    "http-504",
    "image-build-failure",
    "out-of-memory",
    "fpga-quota",
]

EXAMPLES = [pytest.param(e, text, id=f"{e.id}-{n}") for e in ENTRIES for n, text in enumerate(e.examples)]
NEAR_MISSES = [
    pytest.param(e, text, id=f"{e.id}-{n}") for e in ENTRIES for n, text in enumerate(e.near_misses)
]


@pytest.mark.parametrize(("entry", "text"), EXAMPLES)
def test_every_example_is_recognised(entry: Entry, text: str) -> None:
    found = [f.id for f in diagnose(text).findings]
    assert entry.id in found, f"{entry.id} not found in its own example; found {found}"


@pytest.mark.parametrize(("entry", "text"), NEAR_MISSES)
def test_no_near_miss_is_recognised(entry: Entry, text: str) -> None:
    found = [f.id for f in diagnose(text).findings]
    assert entry.id not in found, f"{entry.id} wrongly found in its near-miss"


def test_the_guide_failures_have_their_own_ids_and_lead_their_family() -> None:
    for guide_id in GUIDE_IDS:
        assert catalogue.get(guide_id).family == guide_id
        assert next(e for e in ENTRIES if e.family == guide_id).id == guide_id


def test_an_entry_lives_in_the_module_named_after_its_family() -> None:
    # a newcomer guesses where `http-503` entries are: amlwizard/catalogue/_http_503.py
    for entry in ENTRIES:
        module = next(
            m
            for m in vars(catalogue).values()
            if getattr(m, "__name__", "").startswith("amlwizard.catalogue._")
            and any(v is entry for v in vars(m).values())
        )
        assert module.__name__.rsplit(".", 1)[-1] == "_" + entry.family.replace("-", "_"), entry.id


def test_ids_are_unique_and_lookups_name_what_exists() -> None:
    assert len(set(catalogue.ids())) == len(ENTRIES)
    with pytest.raises(KeyError, match="schedule-insufficient-resources"):
        catalogue.get("no-such-failure")


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_entry_is_complete(entry: Entry) -> None:
    assert entry.family in FAMILIES
    assert entry.step is None or 1 <= entry.step <= len(DEPLOYMENT_STEPS)
    assert len(entry.examples) >= 2 and len(entry.near_misses) >= 1
    assert entry.remedies and all(r.strip() for r in entry.remedies)
    assert entry.explanation and entry.title
    assert entry.doc_url.startswith("https://learn.microsoft.com/")
    assert 0 < entry.confidence < 1


def test_every_entry_object_is_in_the_explicit_registry() -> None:
    import importlib

    folder = ROOT / "amlwizard" / "catalogue"
    modules = [importlib.import_module(f"amlwizard.catalogue.{p.stem}") for p in folder.glob("_*.py")]
    defined = {value.id for module in modules for value in vars(module).values() if isinstance(value, Entry)}
    assert defined == set(catalogue.ids())


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_anchors_keep_the_scan_fast(entry: Entry) -> None:
    # an anchor whose rarest character is a lowercase letter or digit makes every line a candidate
    for anchor in entry.anchors:
        assert rare_suffix(anchor.encode())[0] in FAST_START, f"{anchor!r}: add a capital letter"


def _lines(entry: Entry) -> list[str]:
    """The entry's examples and near-misses cut into lines as the engine reads them (split at newlines,
    then each raw line unwrapped: JSON escapes undone, folded lines split), and each line again in lower
    and upper case, since the case of a log line is what a character class or an anchor trips over."""
    lines = [part for text in (*entry.examples, *entry.near_misses) for raw in text.encode().split(b"\n")
             for part in unwrap_line(raw)]  # fmt: skip
    return [variant for line in lines for variant in (line, line.lower(), line.upper())]


@pytest.mark.skipif(shutil.which("grep") is None, reason="grep is not installed")
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_patterns_mean_the_same_to_grep(entry: Entry, tmp_path: Path) -> None:
    # the benchmark hands grep these very patterns: grep -E must pick exactly the lines Python's re picks
    lines = _lines(entry)
    sample = tmp_path / "lines.txt"
    sample.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    out = subprocess.run(
        ["grep", "-nE", "-e", entry.pattern, str(sample)],
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C.UTF-8"},  # characters, not bytes, as Python's str
    )
    assert out.returncode in (0, 1) and out.stderr == "", out.stderr
    by_grep = {int(hit.split(":", 1)[0]) - 1 for hit in out.stdout.splitlines()}
    by_re = {n for n, line in enumerate(lines) if entry.regex.search(line)}
    assert by_re, "the pattern matches none of its own examples"
    assert {lines[n] for n in by_grep ^ by_re} == set(), f"grep {sorted(by_grep)} vs re {sorted(by_re)}"


# -- a pattern can only match a line that holds one of its anchors ---------------------------------
# The engine tests a line against `pattern` only when the line contains an anchor (scan.py), so a
# pattern that can match without one names a failure in grep's count that the engine never reports.


def _concat(left: tuple[str, ...], right: tuple[str, ...]) -> tuple[str, ...]:
    return (*left[:-1], left[-1] + right[0], *right[1:])


def _required_literals(items: Iterable[tuple[Any, Any]]) -> list[tuple[str, ...]]:
    """Every way through a parsed regex, as the literal runs a match must contain, in order (the last
    run is still open). Small character classes ([Ii]) and optional parts (s?) branch; anything else
    that is not a literal breaks the run. Sound: each run really occurs in every match of its way."""
    ways: list[tuple[str, ...]] = [("",)]
    gap = ("", "")
    for op, av in items:
        if op is LITERAL:
            parts = [(chr(av),)]
        elif op is IN and all(kind is LITERAL for kind, _ in av):
            parts = [(chr(code),) for _, code in av]
        elif op is SUBPATTERN:
            parts = _required_literals(av[-1])
        elif op is BRANCH:
            parts = [way for branch in av[1] for way in _required_literals(branch)]
        elif op in (MAX_REPEAT, MIN_REPEAT):
            low, high, body = av
            if low == high == 1:
                parts = _required_literals(body)
            elif (low, high) == (0, 1):
                parts = [("",), *_required_literals(body)]
            elif low >= 1:  # present, but repeated: no run reaches across it
                parts = [("", *way, "") for way in _required_literals(body)]
            else:
                parts = [gap]
        elif op is AT:  # ^ $ \b: zero width, the run goes on
            parts = [("",)]
        else:
            parts = [gap]
        ways = [_concat(way, part) for way in ways for part in parts]
        assert len(ways) <= 1024, "pattern too branchy to check; simplify it"
    return ways


def _runs(pattern: str) -> list[tuple[str, ...]]:
    return [tuple(run for run in way if run) for way in _required_literals(sre_parse.parse(pattern))]


def test_the_literal_check_sees_what_a_pattern_requires() -> None:
    assert _runs("[Ii]nsufficient compute resources?") == [
        ("Insufficient compute resource",),
        ("Insufficient compute resources",),
        ("insufficient compute resource",),
        ("insufficient compute resources",),
    ]
    assert _runs(r"Model [^ {]+ not found|A(B)+C|\bX.s (a|bc)d") == [
        ("Model ", " not found"),
        ("A", "B", "C"),
        ("X", "s ad"),
        ("X", "s bcd"),
    ]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_a_pattern_cannot_match_a_line_without_an_anchor(entry: Entry) -> None:
    for way in _runs(entry.pattern):
        assert any(anchor in run for run in way for anchor in entry.anchors), (
            f"{entry.id}: a line with {list(way)} matches {entry.pattern!r} but holds none of "
            f"the anchors {entry.anchors}: the engine would never test it; add an anchor or narrow the pattern"
        )
    for line in _lines(entry):  # the same on real text, and its case variants
        if entry.regex.search(line):
            assert any(anchor in line for anchor in entry.anchors), f"{entry.id}: no anchor in {line!r}"


def test_committed_markdown_page_is_what_the_data_generates() -> None:
    committed = (ROOT / "docs" / "catalogue.md").read_text(encoding="utf-8")
    assert committed == catalogue.to_markdown(), (
        "docs/catalogue.md is stale: run python -m amlwizard.catalogue --markdown > docs/catalogue.md"
    )


def test_markdown_command_prints_the_page() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "amlwizard.catalogue", "--markdown"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout == catalogue.to_markdown()
    assert "### `fpga-quota`" in out.stdout and "https://aka.ms/aml-real-time-ai" in out.stdout


def _unbounded_repeats(items, may_end: bool) -> list[str]:
    """Repeats without an upper bound that something follows: the shape that makes a search quadratic
    (each start position runs the repeat to the end of the line, then fails on what follows)."""
    import re._constants as c

    bad: list[str] = []
    seq = list(items)
    for i, (op, av) in enumerate(seq):
        last = may_end and i == len(seq) - 1
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            if av[1] == c.MAXREPEAT and not last:
                bad.append(str(av[2])[:60])
            bad += _unbounded_repeats(av[2], False)
        elif op == c.SUBPATTERN:
            bad += _unbounded_repeats(av[-1], last)
        elif op == c.BRANCH:
            for alternative in av[1]:
                bad += _unbounded_repeats(alternative, last)
    return bad


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_every_pattern_is_linear_in_the_line_length(entry: Entry) -> None:
    # `A.*B` on a long line with many A and no B tries every A to the end: quadratic. A bounded
    # repeat (`.{0,300}`) or one at the very end of an alternative is linear.
    import re._parser

    assert _unbounded_repeats(re._parser.parse(entry.pattern), True) == [], entry.pattern


def test_the_sdk_settings_the_catalogue_tells_users_to_change_are_written_as_the_sdk_takes_them() -> None:
    # autoscale_target_utilization is a whole percent (70), never a fraction (0.7); and the SDK asks to
    # leave replica_max_concurrent_requests at 1 unless support says otherwise
    import re

    for entry in ENTRIES:
        for text in (entry.explanation, *entry.remedies):
            assert not re.search(r"autoscale_target_utilization\W{0,20}(e\.g\. )?0\.[0-9]", text), (
                entry.id,
                text,
            )
            if "replica_max_concurrent_requests" in text and "raise" in text.lower():
                assert "at 1" in text, (entry.id, text)
