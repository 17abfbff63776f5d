"""The failure catalogue: complete for the guide, well-formed, and every entry proven on its examples."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from amlwizard import catalogue
from amlwizard._finding import DEPLOYMENT_STEPS, FAMILIES
from amlwizard._scanning.prefilter import FAST_START, rare_suffix
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


@pytest.mark.skipif(shutil.which("grep") is None, reason="grep is not installed")
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_patterns_mean_the_same_to_grep(entry: Entry, tmp_path: Path) -> None:
    # the benchmark hands grep these very patterns; grep must accept them and agree on the examples
    sample = tmp_path / "examples.txt"
    sample.write_text("\n".join(entry.examples) + "\n")
    out = subprocess.run(["grep", "-cE", entry.pattern, str(sample)], capture_output=True, text=True)
    assert out.stderr == ""
    assert int(out.stdout) >= 1


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
