"""Fact extractors: the small pieces of logic that pull numbers and names out of matched lines.

Each takes the matched line (plus, for some entries, the lines after it) and returns a dict of
what it found; the engine merges them into the finding's ``facts``.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "scheduling",
    "insufficient_compute",
    "exit_code",
    "oom",
    "module",
    "model_not_found",
    "model_file",
    "conda_packages",
    "pip_requirement",
    "timeout",
    "http_status",
    "image",
    "quota",
    "authorization",
    "named_resource",
    "entry_script",
    "restarts",
]

_NODES = re.compile(r"(\d+)/(\d+) nodes are available: (.+)")
_INSUFFICIENT = re.compile(r"(\d+) Insufficient ([\w./-]+)")
_WAITED = re.compile(r"after trying for (\d\d:\d\d:\d\d)")


def scheduling(lines: list[str]) -> dict[str, Any]:
    """``0/3 nodes are available: 3 Insufficient nvidia.com/gpu`` -> resource, node counts."""
    facts: dict[str, Any] = {}
    for line in lines:
        if m := _WAITED.search(line):
            facts.setdefault("waited", m.group(1))
        if m := _NODES.search(line):
            facts.setdefault("nodes_available", int(m.group(1)))
            facts.setdefault("nodes_total", int(m.group(2)))
            short = {name.rstrip("."): int(n) for n, name in _INSUFFICIENT.findall(m.group(3))}
            if short:
                facts.setdefault("insufficient", short)
                # the resource most nodes lack is the scarce one
                facts.setdefault("resource", max(short, key=lambda k: short[k]))
    return facts


_COMPUTE = re.compile(
    r"(\d+) replicas? cannot be created per specified CPU/Memory configuration"
    r"\(([\d.]+) CPU Cores?, ([\d.]+) ?GB Memory\)"
)
_ACI_REQ = re.compile(r"'?([\d.]+)'? CPU,? '?([\d.]+)'? ?GB memory", re.IGNORECASE)


def insufficient_compute(lines: list[str]) -> dict[str, Any]:
    for line in lines:
        if m := _COMPUTE.search(line):
            return {
                "replicas": int(m.group(1)),
                "cpu_cores": float(m.group(2)),
                "memory_gb": float(m.group(3)),
            }
        if m := _ACI_REQ.search(line):
            return {"cpu_cores": float(m.group(1)), "memory_gb": float(m.group(2))}
    return {}


_EXIT = re.compile(r"[Ee]xit ?[Cc]ode\W{0,4}(\d+)|exited with code (\d+)|\"exitCode\\?\":\s*(\d+)")
_MEANING = {
    1: "the process raised an uncaught error",
    2: "the process was started with a wrong command or argument",
    3: "the Azure ML inference server stopped: the scoring script failed to load or init() raised",
    126: "the entry command is not executable",
    127: "the entry command was not found in the image",
    137: "killed with SIGKILL (128+9): almost always the memory limit (OOM)",
    139: "segmentation fault (128+11) in native code",
    143: "stopped with SIGTERM (128+15), e.g. a failed liveness probe or a scale-down",
}


def exit_code(lines: list[str]) -> dict[str, Any]:
    for line in lines:
        if m := _EXIT.search(line):
            code = int(next(g for g in m.groups() if g is not None))
            facts: dict[str, Any] = {"exit_code": code}
            if code in _MEANING:
                facts["meaning"] = _MEANING[code]
            return facts
    return {}


_PID = re.compile(r"\(pid:? ?(\d+)\)")


def oom(lines: list[str]) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for line in lines:
        if "137" in line:
            facts.setdefault("exit_code", 137)
        if "OOMKilled" in line:
            facts.setdefault("reason", "OOMKilled")
        if m := _PID.search(line):
            facts.setdefault("worker_pid", int(m.group(1)))
        if "Signals.SIGKILL" in line:
            facts.setdefault("signal", "SIGKILL")
            if m := re.search(r"\[(.*)\]'? died with", line):
                facts.setdefault("command", m.group(1))
    return facts


_MODULE = re.compile(r"No module named '?([\w.]+)'?|cannot import name '([\w.]+)'(?: from '([\w.]+)')?")


def module(lines: list[str]) -> dict[str, Any]:
    for line in lines:
        if m := _MODULE.search(line):
            if m.group(1):
                return {"module": m.group(1), "package_hint": m.group(1).split(".")[0]}
            facts = {"name": m.group(2)}
            if m.group(3):
                facts["module"] = m.group(3)
            return facts
    return {}


_NOT_IN_CACHE = re.compile(
    r"Model (\S+) not found in cache at (\S+) or in current working directory (\S+?)\.?(?:\s|$)"
)
_NOT_IN_WS = re.compile(r"Model/Version (\S+?)/(\S+) not found in workspace")
_EXPECTED = re.compile(r"Expected model path does not exist: (\S+?)\.?(?:\s|$)")


def model_not_found(lines: list[str]) -> dict[str, Any]:
    for line in lines:
        if m := _NOT_IN_CACHE.search(line):
            return {"model_name": m.group(1), "models_dir": m.group(2), "working_dir": m.group(3)}
        if m := _NOT_IN_WS.search(line):
            version = m.group(2).rstrip(".")
            return {"model_name": m.group(1), "version": None if version == "None" else version}
        if m := _EXPECTED.search(line):
            return {"model_path": m.group(1)}
    return {}


_MODEL_FILE = re.compile(r"['\"]?(/var/azureml-app/azureml-models/([^/'\"\s]+)/([^/'\"\s]+)[^'\"\s]*)")


def model_file(lines: list[str]) -> dict[str, Any]:
    for line in lines:
        if m := _MODEL_FILE.search(line):
            return {"model_path": m.group(1), "model_name": m.group(2), "version": m.group(3)}
    return {}


_PACKAGE_LINE = re.compile(r"^\s*-\s+(\S+)\s*$")


def conda_packages(lines: list[str]) -> dict[str, Any]:
    """``ResolvePackageNotFound:`` is followed by one ``  - pkg==ver`` line per missing package."""
    packages: list[str] = []
    for line in lines[1:]:
        m = _PACKAGE_LINE.match(line)
        if not m:
            if packages:
                break
            continue
        packages.append(m.group(1))
    return {"packages": packages} if packages else {}


_REQUIREMENT = re.compile(
    r"(?:satisfies the requirement|distribution found for) (\S+(?: ?[<>=!~]=?[^\s(]+)?)"
)


def pip_requirement(lines: list[str]) -> dict[str, Any]:
    for line in lines:
        if m := _REQUIREMENT.search(line):
            return {"requirement": m.group(1)}
    return {}


_TIMEOUT_MS = re.compile(r"(?:timeout after|allocated time:) ?(\d+) ?ms")
_TIMEOUT_S = re.compile(r"(?:read timeout|timeout)=(\d+(?:\.\d+)?)")


def timeout(lines: list[str]) -> dict[str, Any]:
    for line in lines:
        if m := _TIMEOUT_MS.search(line):
            return {"timeout_ms": int(m.group(1))}
        if m := _TIMEOUT_S.search(line):
            return {"timeout_ms": int(float(m.group(1)) * 1000)}
        if m := _PID.search(line):
            return {"worker_pid": int(m.group(1))}
    return {}


_STATUS = re.compile(
    r"(?:Response Code|status(?:_code)?|HTTP/\d\.\d\"?)\W{0,3}(\d{3})\b"
    r"|\b(\d{3}) (?:Bad Gateway|Service Unavailable|Gateway Time-?out|Unauthorized|Forbidden|Server Error)",
    re.IGNORECASE,
)
_CONTENT = re.compile(r"Content: b?['\"](.{1,200}?)['\"]?$")
_SERVICE = re.compile(r"for service ([\w-]+)")


def http_status(lines: list[str]) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for line in lines:
        if (m := _STATUS.search(line)) and "status_code" not in facts:
            facts["status_code"] = int(m.group(1) or m.group(2))
        if m := _CONTENT.search(line):
            facts.setdefault("response", m.group(1))
        if m := _SERVICE.search(line):
            facts.setdefault("service", m.group(1))
    return facts


_IMAGE = re.compile(r"(?:image|Image)[\s:\"']+([\w.-]+\.azurecr\.io/[\w./:@-]+|[\w.-]+/[\w./-]+:[\w.-]+)")


def image(lines: list[str]) -> dict[str, Any]:
    for line in lines:
        if m := _IMAGE.search(line):
            return {"image": m.group(1).rstrip("\"'.,")}
    return {}


_QUOTA_FIELDS = {
    "vm_size": re.compile(r"quota available for (Standard_\w+)|VM sizes?:? ?\(?(Standard_\w+)"),
    "usage_limit": re.compile(r"[Uu]sage/limit: ?(\d+/\d+)"),
    "location": re.compile(r"Location: ([\w-]+)|in region '([\w-]+)'"),
    "current_limit": re.compile(r"Current Limit: (\d+)|Limit: '(\d+)'"),
    "current_usage": re.compile(r"Current Usage: (\d+)|Usage: '(\d+)'"),
    "additional_required": re.compile(r"Additional Required: (\d+)|Requested: '(\d+)'"),
    "quota": re.compile(r"approved ([\w ]+?) quota|quota '(\w+)'"),
}


def quota(lines: list[str]) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    text = " ".join(lines)
    for name, regex in _QUOTA_FIELDS.items():
        if m := regex.search(text):
            value = next(g for g in m.groups() if g is not None)
            facts[name] = int(value) if value.isdigit() else value
    return facts


_ACTION = re.compile(r"perform action '([^']+)' over scope '([^']+)'")
_CLIENT = re.compile(r"The client '([^']+)'")


def authorization(lines: list[str]) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for line in lines:
        if m := _ACTION.search(line):
            facts.setdefault("action", m.group(1))
            facts.setdefault("scope", m.group(2))
        if m := _CLIENT.search(line):
            facts.setdefault("client", m.group(1))
        if m := _STATUS.search(line):
            facts.setdefault("status_code", int(m.group(1) or m.group(2)))
    return facts


_NAMED = re.compile(r"(?:with name|named|workspaces/|Model/Version) '?([\w.-]+)'?")


def named_resource(lines: list[str]) -> dict[str, Any]:
    for line in lines:
        if m := _NAMED.search(line):
            return {"name": m.group(1)}
    return {}


_SCRIPT = re.compile(
    r"entry_script (\S+) doesn't exist|No such file or directory: '([^']+\.py)'"
    r"|Expected score script (\S+?)\.?$"
)


def entry_script(lines: list[str]) -> dict[str, Any]:
    for line in lines:
        if m := _SCRIPT.search(line):
            return {"entry_script": next(g for g in m.groups() if g is not None)}
    return {}


_RESTARTS = re.compile(
    r"restartCount\\?\"?:\s*(\d+)|[Rr]estart [Cc]ount:\s*(\d+)|back-off (\d+m\d+s|\d+s) restarting"
)


def restarts(lines: list[str]) -> dict[str, Any]:
    for line in lines:
        if m := _RESTARTS.search(line):
            if m.group(3):
                return {"back_off": m.group(3)}
            return {"restart_count": int(m.group(1) or m.group(2))}
    return {}
