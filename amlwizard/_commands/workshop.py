"""``amlwizard workshop [DIR]``: copy the workshop into a working folder and start JupyterLab there.

What JupyterLab saves (outputs, new notebooks) then lands in that folder, never in the package or a clone.
``--check`` starts JupyterLab, checks it serves the notebooks with amlwizard's lab extension, and stops it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

__all__ = ["add_arguments", "run"]

DEFAULT_FOLDER = "amlwizard-workshop"
EXTENSION = "amlwizard-labextension"
CHECK_TIMEOUT_S = 120.0

_EPILOG = f"""\
JupyterLab runs in this terminal until you stop it: Ctrl-C twice (or Ctrl-C, then y). Use another
terminal meanwhile (for example for the tests).
As root (a container, CI), JupyterLab refuses to start without --allow-root: this command passes it.
With no web browser on this machine (a server, SSH, a container), it starts JupyterLab without one
and prints the URL to open: in a browser on your own machine, after
`ssh -L PORT:localhost:PORT this-host` when the machine is remote.
Run again, it keeps your edits (your score.py, your notebooks' outputs) and starts JupyterLab again;
when a newer amlwizard ships a file you changed, it stops and names it: --force replaces your copy.
DIR defaults to ./{DEFAULT_FOLDER}."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = _EPILOG
    parser.add_argument(
        "folder",
        nargs="?",
        default=DEFAULT_FOLDER,
        metavar="DIR",
        help="the working folder (made if missing)",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace files you changed with the shipped ones"
    )
    parser.add_argument(
        "--port", type=int, default=0, help="JupyterLab's port (default: 8888 or the next free)"
    )
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser; print the URL")
    parser.add_argument(
        "--check",
        action="store_true",
        help="start JupyterLab, check it serves the notebooks with amlwizard's extension, stop it (CI)",
    )


def _free_port(first: int = 8888, tries: int = 50) -> int:
    for port in range(first, first + tries):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _has_browser() -> bool:
    import webbrowser

    try:
        webbrowser.get()
    except webbrowser.Error:
        return False
    return True


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _lab_command(folder: Path, port: int, *, browser: bool) -> list[str]:
    command = [
        sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}", f"--port={port}",
        "--ServerApp.port_retries=0",
    ]  # fmt: skip
    if not browser:
        command.append("--no-browser")
    if _is_root():
        command.append("--allow-root")
    if browser:
        command.append(str(folder / "00-start-here.ipynb"))  # the browser opens it
    return command


def run(args: argparse.Namespace) -> int:
    from .._errors import UsageProblem
    from .._workfolder import START_NOTEBOOK, prepare_workfolder

    if not 0 <= args.port <= 65535:
        raise UsageProblem(f"--port must be between 0 and 65535, not {args.port}")
    made = prepare_workfolder(args.folder, force=args.force)
    folder = made.folder
    changed = f"{len(made.copied)} file(s) copied" if made.copied else "nothing new to copy"
    kept = f", your {len(made.kept)} file(s) kept as they are" if made.kept and made.copied else ""
    replaced = f", {len(made.replaced)} of your file(s) replaced (--force)" if made.replaced else ""
    print(f"amlwizard workshop: notebooks and scenario apps in {folder} ({changed}{kept}{replaced})")
    port = args.port or _free_port()
    token = secrets.token_hex(24)
    env = {**os.environ, "JUPYTER_TOKEN": token}  # not on the command line, where `ps` shows it
    url = f"http://localhost:{port}/lab/tree/{START_NOTEBOOK}?token={token}"
    if args.check:
        return _check(_lab_command(folder, port, browser=False), folder, port, token, env)
    browser = not args.no_browser and _has_browser()
    if _is_root():
        print("Running as root: passing --allow-root to JupyterLab.")
    if not browser and not args.no_browser:
        print(
            "No web browser found on this machine: JupyterLab starts without one. Open the URL below in a "
            f"browser here, or on your own machine after `ssh -L {port}:localhost:{port} <this host>`."
        )
    print(f"Open: {url}")
    print("JupyterLab runs in this terminal until you stop it with Ctrl-C twice.", flush=True)
    command = _lab_command(folder, port, browser=browser)
    if os.name == "posix":  # JupyterLab takes this terminal over: Ctrl-C reaches it as usual
        os.chdir(folder)
        os.execve(sys.executable, command, env)
    return subprocess.call(command, cwd=folder, env=env)  # pragma: no cover - Windows


def _get(url: str, token: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status, answer.read().decode("utf-8", errors="replace")


def _check(command: list[str], folder: Path, port: int, token: str, env: dict[str, str]) -> int:
    """Start JupyterLab, wait for /api/status, check the start notebook and the extension, stop it."""
    from .._errors import UsageProblem
    from .._workfolder import START_NOTEBOOK

    base = f"http://127.0.0.1:{port}"
    log = folder / ".amlwizard-workshop-check.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT)
    started = time.monotonic()
    try:
        while True:
            if process.poll() is not None:
                raise UsageProblem(f"JupyterLab exited with code {process.returncode}: {_last_line(log)}")
            try:
                _get(f"{base}/api/status", token)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() - started > CHECK_TIMEOUT_S:
                    raise UsageProblem(
                        f"JupyterLab did not answer within {CHECK_TIMEOUT_S:.0f} s: {_last_line(log)}"
                    ) from None
                time.sleep(0.2)
        seconds = time.monotonic() - started
        try:
            _get(f"{base}/api/contents/{START_NOTEBOOK}?content=0", token)
            _, page = _get(f"{base}/lab/tree/{START_NOTEBOOK}", token)
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            raise UsageProblem(f"JupyterLab answered, but not with {START_NOTEBOOK}: {exc}") from None
        listed, disabled = _extensions(page)
        if EXTENSION not in listed or EXTENSION in disabled:
            state = "disabled" if EXTENSION in disabled else "not listed"
            raise UsageProblem(f"JupyterLab started, but its lab extension {EXTENSION} is {state}: reinstall")
        print(
            f"ok: JupyterLab answered in {seconds:.1f} s on port {port}, serving {START_NOTEBOOK} "
            f"with {EXTENSION}; stopped."
        )
        return 0
    finally:
        _stop(process, base, token)
        log.unlink(missing_ok=True)


def _extensions(page: str) -> tuple[set[str], set[str]]:
    """The lab extensions a page of JupyterLab loads, and those disabled (from its jupyter-config-data)."""
    found = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S)
    config = json.loads(found.group(1)) if found else {}
    listed = {e.get("name") for e in config.get("federated_extensions") or []}
    disabled = set(config.get("disabledExtensions") or [])
    return {str(n) for n in listed if n}, {str(d).split(":")[0] for d in disabled}


def _stop(process: subprocess.Popen[bytes], base: str, token: str) -> None:
    if process.poll() is None:
        try:
            request = urllib.request.Request(
                f"{base}/api/shutdown", method="POST", headers={"Authorization": f"token {token}"}
            )
            urllib.request.urlopen(request, timeout=10).close()
        except OSError:
            process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _last_line(log: Path) -> str:
    lines = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    return lines[-1].strip() if lines else "(no output)"
