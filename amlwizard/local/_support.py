"""Plain results and small helpers of a local deployment: health, a scored request and what the
remote service would have answered, sample requests, the VS Code attach configuration, scenario apps.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .._errors import UsageProblem

__all__ = [
    "Health",
    "ScoreResult",
    "ScenarioApp",
    "remote_equivalent",
    "run_traceback",
    "load_sample_request",
    "example_from_swagger",
    "vscode_launch_config",
    "scenario_app",
]


@dataclass
class Health:
    """Outcome of a start: ``ok``, seconds to healthy (or to failure), and why it failed."""

    ok: bool
    seconds: float
    url: str
    reason: str = ""
    exit_code: int | None = None
    log_tail: list[str] = field(default_factory=list)
    findings: list[Any] = field(default_factory=list)  # amlwizard Findings from the server's log

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["findings"] = [f.to_dict() if hasattr(f, "to_dict") else f for f in self.findings]
        return data


@dataclass
class ScoreResult:
    """One request to ``/score``: the local answer, and what the remote service answers instead."""

    status: int
    latency_ms: float
    body: Any  # parsed JSON when it is JSON, else the text
    remote_status: int
    meaning: str
    headers: dict[str, str] = field(default_factory=dict)
    traceback: list[str] = field(default_factory=list)  # run()'s own traceback when it raised (masked)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def remote_equivalent(
    status: int, headers: dict[str, str], body: Any, compute_type: str | None = None
) -> tuple[int, str]:
    """Map the local server's answer to the deployed service's one.

    Measured with azmlinfsrv 1.5.1: an exception in run() and a scoring timeout both answer 500
    with ``x-ms-run-function-failed: True``; the timeout's body says "Scoring timeout after N ms".
    Behind the Azure ML router (AKS, Kubernetes online endpoints) the same failures reach the caller as 502
    and 504; behind a managed online endpoint's front end as 424 and 408.
    """
    message = body.get("message", "") if isinstance(body, dict) else str(body)
    failed = str(headers.get("x-ms-run-function-failed", "")).lower() == "true"
    managed = (compute_type or "").lower() == "managed"
    if status == 500 and "Scoring timeout" in message:
        if managed:
            return 408, f"run() did not finish in time ({message}): the endpoint answers 408 Request Timeout."
        return 504, f"run() did not finish in time ({message}): the service answers 504 Gateway Timeout."
    if status >= 500 and failed:
        if managed:
            return 424, (
                "run() raised an exception: the endpoint answers 424 Failed Dependency "
                "(ms-azureml-model-error-statuscode: 500)."
            )
        return 502, "run() raised an exception: the service answers 502 Bad Gateway."
    if 200 <= status < 300:
        return status, "run() returned normally."
    return status, f"the server answered {status} before run() (request format or method)."


_SERVER_CODE = "azureml_inference_server_http"


def run_traceback(lines: list[str]) -> list[str]:
    """The script's own traceback in what the server logged for one failed request: the first traceback
    (the script's exception; the server's wrapper follows it), without the server's own frames."""
    start = next((i for i, line in enumerate(lines) if "Traceback (most recent call last):" in line), None)
    if start is None:
        return []
    shown = ["Traceback (most recent call last):"]
    skipping = False
    for line in lines[start + 1 :]:
        if line.startswith("  File "):
            skipping = _SERVER_CODE in line
        elif not line.startswith("    "):  # the exception line ends the traceback
            shown.append(line)
            break
        if not skipping:
            shown.append(line)
    return shown


def example_from_swagger(swagger: dict[str, Any]) -> Any:
    """The request example of a service's swagger (``inference-schema`` puts it on the input schema)."""
    try:
        post = swagger["paths"]["/score"]["post"]
        schema = next(p for p in post["parameters"] if p.get("in") == "body")["schema"]
        if "$ref" in schema:
            schema = swagger["definitions"][schema["$ref"].rsplit("/", 1)[-1]]
        return schema["example"]
    except (KeyError, StopIteration, TypeError) as err:
        raise UsageProblem(
            "the service's swagger has no request example; give a JSON file or string instead"
        ) from err


def load_sample_request(source: str | Path | dict[str, Any] | list[Any]) -> Any:
    """A request body from a JSON file, a pasted JSON string, a swagger document, or a value."""
    if isinstance(source, (dict, list)):
        return example_from_swagger(source) if isinstance(source, dict) and "swagger" in source else source
    text = str(source).strip()
    if text[:1] in "{[":
        try:
            return json.loads(text)
        except json.JSONDecodeError as err:
            raise UsageProblem(
                f"the pasted request is not valid JSON (line {err.lineno}: {err.msg})"
            ) from err
    path = Path(text).expanduser()
    if not path.is_file():
        raise UsageProblem(f"no request file at {path}; give a JSON file or a JSON string")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise UsageProblem(f"{path} is not valid JSON ({err}); fix it or paste the request") from err
    return example_from_swagger(data) if isinstance(data, dict) and "swagger" in data else data


def vscode_launch_config(debug_port: int, score_path: Path) -> dict[str, Any]:
    """The VS Code configuration that listens where the server's debugpy.connect() goes."""
    folder = str(score_path.resolve().parent)
    return {
        "version": "0.2.0",
        "configurations": [
            {
                "name": "Azure ML: attach to local inference server",
                "type": "debugpy",
                "request": "attach",
                "listen": {"host": "127.0.0.1", "port": debug_port},
                "pathMappings": [{"localRoot": folder, "remoteRoot": folder}],
                "justMyCode": True,
            }
        ],
    }


@dataclass(frozen=True)
class ScenarioApp:
    """A workshop scenario's scoring app: what ``LocalDeployment.for_scenario`` deploys."""

    name: str
    score_path: Path
    model_name: str
    model_version: int
    model_files: Path  # what was registered: the file or folder given to Model.register(model_path=...)
    sample_request: Path
    conda_file: Path
    timeout_ms: int | None
    compute_type: str | None = None  # "AKS", "ACI" (v1); "Managed", "Kubernetes" (v2)


def scenario_app(name: str, app_dir: str | Path | None = None) -> ScenarioApp:
    """A workshop scenario's app, read from its ``scenario.json``: a new scenario folder needs no code.

    ``app_dir``: a copy of the app (the learner's, made by ``amlwizard workshop``) instead of the package's.
    """
    from ..scenarios import load_scenario

    scenario = load_scenario(name)
    app = Path(app_dir) if app_dir is not None else scenario.app_dir
    return ScenarioApp(
        name,
        app / "score.py",
        scenario.model["name"],
        int(scenario.model["version"]),
        app / scenario.registered_path.relative_to(scenario.app_dir),  # in the learner's copy when given
        app / "sample-request.json",
        app / "conda.yml",
        scenario.scoring_timeout_ms,
        scenario.target,
    )
