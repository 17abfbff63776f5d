"""Browser tests' harness: a real JupyterLab (this venv's, with amlwizard's lab extension) on 127.0.0.1,
driven by Playwright in Debian's Chromium (how to run them: docs/labextension.md).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

EXTENSION_NAME = "amlwizard-labextension"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
NOT_BUILT = (
    f"the JupyterLab extension {EXTENSION_NAME} is neither built nor installed: run `pip install .` "
    "(builds it), or `cd labextension && jlpm install && jlpm build` for a dev install"
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: real JupyterLab driven by Chromium (tests/e2e)")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    # Keep each phase's outcome on the item, so the page fixture can screenshot a failed test.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@dataclass
class Lab:
    """A running JupyterLab: where it listens, its token, and the folder it serves."""

    url: str
    token: str
    root: Path

    def api(self, method: str, path: str, body: Any = None) -> Any:
        """Call the server's REST API (JSON in, JSON out)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read()
        return json.loads(text) if text else None

    def page_url(self, where: str = "lab") -> str:
        # `reset` starts from an empty workspace: no layout left by a previous test
        return f"{self.url}/{where}?token={self.token}&reset"


def _installed_extension() -> Path | None:
    """The extension as `jupyter labextension list` would find it (a non-editable install)."""
    from jupyter_core.paths import jupyter_path

    for folder in jupyter_path("labextensions"):
        if (Path(folder) / EXTENSION_NAME / "package.json").is_file():
            return Path(folder) / EXTENSION_NAME
    return None


def _labextension_search_dir(tmp: Path) -> Path | None:
    """A JUPYTER_PATH entry linking the dev build (amlwizard/labextension), if there is one.

    With the editable install the freshest build lives in the source tree; linking it from a folder
    early on JUPYTER_PATH makes it win over any older copy (the first found wins).
    """
    import amlwizard

    dev_build = Path(amlwizard.__file__).parent / "labextension"
    if not (dev_build / "package.json").is_file():
        return None
    link_dir = tmp / "jupyter-path" / "labextensions"
    link_dir.mkdir(parents=True)
    (link_dir / EXTENSION_NAME).symlink_to(dev_build.resolve(), target_is_directory=True)
    return link_dir.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_settings(settings_dir: Path) -> None:
    files = {
        # no news/update toast over the page
        "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
        # render every cell, also those scrolled out of view
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
        # the launcher card opens the offline workshop (no Azure here)
        f"{EXTENSION_NAME}/plugin": {"mode": "workshop"},
    }
    for name, values in files.items():
        path = settings_dir / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")


def _wait_ready(lab: Lab, process: subprocess.Popen[bytes], log: Path, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"JupyterLab exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            lab.api("GET", "/api/status")
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    pytest.fail(f"JupyterLab did not answer /api/status within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def _shut_down_kernels(lab: Lab) -> None:
    """Through the server, so each kernel ends cleanly and stops what it started (the emulator)."""
    try:
        for kernel in lab.api("GET", "/api/kernels"):
            lab.api("DELETE", f"/api/kernels/{kernel['id']}")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        pass


def _stop(lab: Lab, process: subprocess.Popen[bytes]) -> None:
    _shut_down_kernels(lab)
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    # The server ran in its own process group: end whatever of it is left (a stuck kernel).
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """JupyterLab from this venv on a free loopback port, with amlwizard's extension in workshop mode."""
    tmp = tmp_path_factory.mktemp("jupyterlab")
    search_dir = _labextension_search_dir(tmp)
    if search_dir is None and _installed_extension() is None:
        pytest.fail(NOT_BUILT)
    root = tmp / "root"
    env = dict(os.environ)
    for var, sub in [
        ("JUPYTERLAB_SETTINGS_DIR", "settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTER_CONFIG_DIR", "config"),
    ]:
        (tmp / sub).mkdir()
        env[var] = str(tmp / sub)
    # The kernels' temporary files (workshop emulator, test CA, model copies) stay inside this folder,
    # which is removed at the end.
    kernel_tmp = tmp / "tmp"
    kernel_tmp.mkdir()
    env["TMPDIR"] = str(kernel_tmp)
    if search_dir is not None:
        env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(search_dir), env.get("JUPYTER_PATH")]))
    # The kernels import the amlwizard under test (this checkout's), not whichever the environment installed.
    import amlwizard

    package_root = str(Path(amlwizard.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    root.mkdir()
    _write_settings(tmp / "settings")
    token = secrets.token_hex(16)
    port = _free_port()
    lab = Lab(url=f"http://127.0.0.1:{port}", token=token, root=root)
    log = tmp / "jupyterlab.log"
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        "--allow-root", "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
        "--LabApp.extension_manager=readonly",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        _wait_ready(lab, process, log)
        yield lab
    finally:
        _stop(lab, process)
        shutil.rmtree(kernel_tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's Chromium under Playwright (module-scoped, so its event loop ends with the module)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright Python package is not installed (pip install '.[test]')")
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if executable is None:
        pytest.skip(f"no Chromium browser found at {CHROMIUM} or on PATH (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def lab_page(request: pytest.FixtureRequest, lab: Lab, chromium: Any, screenshots: Path) -> Iterator[Any]:
    """A fresh browser page with a tall window (notebooks scroll inside their panel).

    A failed test leaves ``screenshots/FAILED-<test>.png``. Kernels outlive pages: the test's kernels
    are shut down after it, so tests do not pile them up.
    """
    context = chromium.new_context(viewport={"width": 1280, "height": 1500})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        yield page
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            page.screenshot(path=str(screenshots / f"FAILED-{request.node.name}.png"), full_page=True)
    finally:
        context.close()
        _shut_down_kernels(lab)


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS
