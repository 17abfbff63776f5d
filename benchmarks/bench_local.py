"""Local deployment speed: deploy -> healthy, and score.py edit -> healthy again, against azmlinfsrv by hand.

Run: python benchmarks/bench_local.py [--quick]
Baseline in the same run: `azmlinfsrv --entry_script ... --model_dir ...` started by hand on the same
script and model layout (and, for the edit, stopped and started again by hand), polled the same way.
Both sides are whole server processes, run alternately: wall time to healthy, medians of at least 5
cycles; CPU time of a whole cycle (deploy, edit, stop) beside it: the servers' (user + sys of the reaped
children, from RUSAGE_CHILDREN) plus this process's own (polling, file watching, laying out the model).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # amlwizard of this checkout, not whichever one is installed
from _measure import MIN_RUNS, Targets  # noqa: E402

from amlwizard._layout import ModelSpec, lay_out_app_root  # noqa: E402
from amlwizard.local import LocalDeployment, scenario_app  # noqa: E402
from amlwizard.local._server import free_port  # noqa: E402

TARGET = 1.2


def _wait_healthy(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("azmlinfsrv exited during start")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.03)
    raise RuntimeError("azmlinfsrv not healthy in time")


def _bare_start(score: Path, app_root: Path, model_dir: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {**os.environ, "AML_APP_ROOT": str(app_root)}
    cmd = [shutil.which("azmlinfsrv") or str(Path(sys.executable).parent / "azmlinfsrv")]
    cmd += ["--entry_script", str(score), "--model_dir", str(model_dir), "--port", str(port)]
    proc = subprocess.Popen(cmd, cwd=app_root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # fmt: skip
    return proc, port


def _bare_stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=10)


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def bare_deploy(score: Path, model: ModelSpec) -> tuple[float, float, float]:
    """Seconds to healthy, seconds to stop + start + healthy again (a restart by hand), CPU of the cycle."""
    cpu = _cpu()
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = lay_out_app_root(Path(tmp), model)  # prepared beforehand: not timed
        started = time.perf_counter()
        proc, port = _bare_start(score, Path(tmp), model_dir)
        _wait_healthy(port, proc)
        first = time.perf_counter() - started
        started = time.perf_counter()
        _bare_stop(proc)
        proc, port = _bare_start(score, Path(tmp), model_dir)
        _wait_healthy(port, proc)
        again = time.perf_counter() - started
        _bare_stop(proc)
    return first, again, _cpu() - cpu


def ours_deploy(score: Path, model: ModelSpec) -> tuple[float, float, float]:
    """Seconds from LocalDeployment(...) to healthy, from a score.py edit to healthy again, cycle CPU."""
    cpu = _cpu()
    started = time.perf_counter()
    dep = LocalDeployment(score, model=model)
    health = dep.start(timeout=60)
    first = time.perf_counter() - started
    assert health.ok, health.reason
    done = threading.Event()
    dep.watch(lambda h: done.set())
    time.sleep(0.3)
    started = time.perf_counter()
    score.write_text(score.read_text() + "\n# edited\n")
    done.wait(60)
    again = time.perf_counter() - started
    dep.stop()
    return first, again, _cpu() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help=f"{MIN_RUNS} cycles of each instead of 9")
    runs = MIN_RUNS if parser.parse_args().quick else 9
    app = scenario_app("healthy-aks")
    with tempfile.TemporaryDirectory() as tmp:
        score = Path(tmp) / "score.py"
        shutil.copy(app.score_path, score)
        model = ModelSpec(app.model_name, app.model_version, app.model_files)
        ours, bare = [], []
        for _ in range(runs):  # interleaved, so drift in machine load hits both alike
            bare.append(bare_deploy(score, model))
            ours.append(ours_deploy(score, model))
    targets = Targets()
    for index, (what, name) in enumerate(
        (("deploy -> healthy", "local-deploy"), ("score.py edit -> healthy", "local-edit"))
    ):
        mine = statistics.median(r[index] for r in ours)
        base = statistics.median(r[index] for r in bare)
        print(f"{what}: {mine:.2f} s   baseline azmlinfsrv by hand: {base:.2f} s   "
              f"ratio {mine / base:.2f}x (target <= {TARGET}x)   median of {runs}")  # fmt: skip
        targets.check(name, mine / base <= TARGET, f"{mine / base:.2f}x azmlinfsrv by hand", f"<= {TARGET}x")
    mine, base = statistics.median(r[2] for r in ours), statistics.median(r[2] for r in bare)
    print(f"CPU of a whole cycle (deploy, edit, stop; servers + this process): {mine:.2f} s   "
          f"baseline by hand: {base:.2f} s   ratio {mine / base:.2f}x   median of {runs}")  # fmt: skip
    return targets.exit_code()


if __name__ == "__main__":
    sys.exit(main())
