"""Reading Python tracebacks in logs: which line names an exception, which names a frame, the root cause.

The one home of these patterns: the diagnosis engine pulls facts with them, the local deployment names why
a server did not start.
"""

from __future__ import annotations

import re

__all__ = ["EXCEPTION_LINE", "FRAME_LINE", "SERVER_WRAPPERS", "root_error", "last_traceback"]

# "KeyError: 'x'", "azureml.exceptions._azureml_exception.ModelNotFoundException:", "SystemExit: 3"
EXCEPTION_LINE = re.compile(
    r"^\s*((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*(?:Error|Exception|Exit|Interrupt))(?::\s?(.*))?$"
)
# '  File "/var/azureml-app/score.py", line 12, in init'
FRAME_LINE = re.compile(r'^\s*File "([^"]+)", line (\d+), in (\S+)')
# The inference server wraps the script's own exception in these: the root cause is the one inside.
SERVER_WRAPPERS = ("UserScriptException", "UserScriptError", "UserScriptImportException")
_TRACEBACK = "Traceback (most recent call last)"
_CHAINED = ("The above exception was the direct cause", "During handling of the above exception")


def root_error(lines: list[str]) -> str:
    """The first exception a traceback names (the root cause), not the server's wrapper around it."""
    for i, line in enumerate(lines):
        match = EXCEPTION_LINE.match(line)
        wrapper = match is not None and match.group(1).endswith(SERVER_WRAPPERS)
        if match and not wrapper and "azureml_inference_server_http" not in line:
            name, text = match.group(1).rsplit(".", 1)[-1], (match.group(2) or "").strip()
            if text in ("", f"{name}:") and i + 1 < len(lines):  # azureml puts the message on the next line
                text = lines[i + 1].strip().removeprefix("Message:").strip()
            return f"{name}: {text}" if text else name
    errors = [ln.strip() for ln in lines if " E [" in ln]
    return errors[-1] if errors else (lines[-1].strip() if lines else "no output")


def last_traceback(lines: list[str]) -> tuple[int, int] | None:
    """Where the last traceback of a log starts (0-based; its first exception when chained) and which line
    names its root cause, or None when the log has none: a log view opens there."""
    starts = [i for i, line in enumerate(lines) if _TRACEBACK in line]
    if not starts:
        return None
    k = len(starts) - 1
    while k > 0:  # "The above exception was the direct cause of ...": the chain began one traceback earlier
        between = [ln.strip() for ln in lines[starts[k - 1] : starts[k]] if ln.strip()]
        if not any(between[-1].startswith(c) for c in _CHAINED):
            break
        k -= 1
    start = starts[k]
    for i in range(start, len(lines)):
        match = EXCEPTION_LINE.match(lines[i])
        if match and not match.group(1).endswith(SERVER_WRAPPERS):
            return start, i
    return start, start
