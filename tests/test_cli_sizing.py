"""``amlwizard size`` and ``amlwizard simulate`` run as real processes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def amlwizard(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "amlwizard", *args], capture_output=True, text=True, timeout=120
    )


def test_size_prints_the_formula_and_the_queueing_answer():
    out = amlwizard("size", "--rps", "20", "--request-seconds", "10")
    assert out.returncode == 0, out.stderr
    assert "286 replicas" in out.stdout and "Erlang C" in out.stdout and "about 30 %" in out.stdout


def test_size_json():
    out = amlwizard(
        "size",
        "--rps",
        "20",
        "--request-seconds",
        "10",
        "--max-concurrent",
        "1",
        "--target-utilization",
        "0.7",
        "--max-wait-ms",
        "500",
        "--wait-probability",
        "0.01",
        "--json",
    )
    data = json.loads(out.stdout)
    assert data["replicas"] == 286 and data["concurrent_requests"] == pytest.approx(285.714, abs=1e-3)
    assert data["erlang_c_replicas"] == 228


@pytest.mark.parametrize(
    "args",
    [
        ["size", "--rps", "0", "--request-seconds", "1"],
        ["size", "--rps", "5", "--request-seconds", "-1"],
        ["size", "--rps", "5", "--request-seconds", "1", "--target-utilization", "70"],
        ["simulate", "--profile", "constant", "--min-replicas", "5", "--max-replicas", "2"],
        ["simulate", "--profile", "constant", "--rps", "-3"],
        ["simulate", "--profile", "no-such-profile.csv"],
    ],
)
def test_bad_input_is_one_line_and_exit_2(args):
    out = amlwizard(*args)
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr


def test_malformed_csv_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "traffic.csv"
    bad.write_text("rps\n3\nlots\n")
    out = amlwizard("simulate", "--profile", str(bad))
    assert out.returncode == 2 and "row 2" in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_simulate_a_csv_profile_to_json_and_html(tmp_path):
    csv = tmp_path / "traffic.csv"
    csv.write_text("rps\n" + "\n".join(["2"] * 300 + ["10"] * 300 + ["2"] * 300) + "\n")
    html = tmp_path / "autoscale.html"
    out = amlwizard(
        "simulate",
        "--profile",
        str(csv),
        "--seed",
        "1",
        "--max-replicas",
        "15",
        "--json",
        "--html",
        str(html),
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["totals"]["seconds"] == 900 and data["totals"]["rejected_503"] > 0
    assert data["settings"]["autoscale_target_utilization"] == 70
    assert html.stat().st_size > 100_000 and "503s:" in html.read_text()


def test_simulate_recommends_settings_to_paste():
    out = amlwizard(
        "simulate",
        "--profile",
        "spike",
        "--rps",
        "3",
        "--peak-rps",
        "9",
        "--seconds",
        "1200",
        "--recommend",
        "--budget",
        "0.001",
    )
    assert out.returncode == 0, out.stderr
    assert "503 (no capacity within 500 ms)" in out.stdout
    assert "AksWebservice.deploy_configuration(autoscale_enabled=True, autoscale_min_replicas=" in out.stdout
