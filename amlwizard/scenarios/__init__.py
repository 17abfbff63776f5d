"""Workshop scenarios as data: a deployed service in a failure state, its logs, its app and model files.

``load_scenario(name)`` reads ``<name>/scenario.json`` and knows where its logs and app live; the emulator
serves them as a workspace, the wizards and tests read them directly. Format: ``README.md`` beside this file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._errors import UsageProblem

__all__ = [
    "SCENARIOS_DIR",
    "WORKSPACE",
    "Scenario",
    "scenario_names",
    "load_scenario",
    "load_scenarios",
    "SDK_V1",
    "SDK_V2",
    "duration_ms",
]

SDK_V1, SDK_V2 = "v1", "v2"  # azureml-core web services; azure-ai-ml online endpoints (schema 2)

SCENARIOS_DIR = Path(__file__).resolve().parent

# The emulated workspace every scenario lives in (the names its payloads and logs use).
WORKSPACE: dict[str, str] = {
    "subscription_id": "5f6a7c2e-1d2b-4c3a-9e8f-0a1b2c3d4e5f",
    "resource_group": "rg-ml-workshop",
    "workspace_name": "mlw-workshop",
    "location": "westeurope",
    "tenant_id": "72f988bf-0000-4000-8000-00000000c0de",
}


def duration_ms(text: str | None, default_ms: int) -> int:
    """An ISO-8601 duration as ARM writes v2 settings ("PT5S", "PT1M30S", "PT0.5S") in milliseconds;
    ``default_ms`` when it is missing or of another shape."""
    match = re.fullmatch(r"PT(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?", text or "")
    if not match or not any(match.groups()):
        return default_ms
    return int((int(match.group(1) or 0) * 60 + float(match.group(2) or 0)) * 1000)


@dataclass
class Scenario:
    """One workshop scenario.

    ``service`` is the service payload (camelCase, as the Azure ML API answers), ``model`` the registered
    model, ``expected`` the finding a diagnosis must name (None for the healthy one).

    An SDK v2 scenario (``sdk == "v2"``, schema 2) is an online endpoint named after the scenario with one
    deployment: ``endpoint`` and ``deployment`` (camelCase, as ARM answers them), ``operation`` (how its
    create/update operation ended: ``status`` and the ``error`` Azure gave); ``service`` stays empty. Its
    logs are the two containers' (``main_log`` = inference-server, ``init_log`` = storage-initializer).
    """

    name: str
    title: str
    description: str
    target: str  # "AKS" or "ACI" (v1); "Managed" or "Kubernetes" (v2)
    expected: dict[str, Any] | None
    model: dict[str, Any]
    service: dict[str, Any]
    folder: Path
    symptom: dict[str, Any] | None = None
    faults: list[dict[str, Any]] = field(default_factory=list)
    traffic: dict[str, Any] | None = None
    sdk: str = SDK_V1
    endpoint: dict[str, Any] = field(default_factory=dict)  # v2 only
    deployment: dict[str, Any] = field(default_factory=dict)  # v2 only
    operation: dict[str, Any] = field(default_factory=dict)  # v2 only

    @property
    def deployment_name(self) -> str | None:
        """The v2 deployment's name (None for a v1 service)."""
        return self.deployment.get("name") if self.sdk == SDK_V2 else None

    @property
    def service_name(self) -> str:
        """What amlwizard calls it: the v1 service's name, or ``endpoint/deployment`` for v2."""
        return f"{self.name}/{self.deployment_name}" if self.sdk == SDK_V2 else self.name

    @property
    def state(self) -> str | None:
        """The v1 service's state, or the v2 deployment's provisioning state."""
        if self.sdk == SDK_V2:
            return self.deployment.get("provisioningState")
        return self.service.get("state")

    @property
    def scoring_timeout_ms(self) -> int | None:
        """The scoring time limit the service applies (v1 ``scoringTimeoutMs``; v2 ``requestTimeout``)."""
        if self.sdk != SDK_V2:
            return self.service.get("scoringTimeoutMs")
        return duration_ms((self.deployment.get("requestSettings") or {}).get("requestTimeout"), 5000)

    @property
    def expected_finding(self) -> str | None:
        return self.expected["finding"] if self.expected else None

    @property
    def expected_family(self) -> str | None:
        return self.expected["family"] if self.expected else None

    @property
    def model_ref(self) -> str:
        """``name:version`` of the registered model."""
        return f"{self.model['name']}:{self.model['version']}"

    @property
    def app_dir(self) -> Path:
        return self.folder / "app"

    @property
    def model_dir(self) -> Path:
        """The registered model's files: ``app/model`` (its one file or folder is the registered path)."""
        return self.app_dir / "model"

    @property
    def registered_path(self) -> Path:
        """What was given to ``Model.register(model_path=...)``: the one file or folder inside ``app/model``
        (the folder itself when it holds several), so it keeps its name as on Azure."""
        items = sorted(p for p in self.model_dir.iterdir() if not p.name.startswith("."))
        return items[0] if len(items) == 1 else self.model_dir

    @property
    def error_payload(self) -> dict[str, Any] | None:
        """What the user sees as the error: the deployment error (v2: the failed create operation's
        error), else the HTTP failure of a call."""
        if self.sdk == SDK_V2 and self.operation.get("error"):
            return {"error": self.operation["error"]}
        if self.service.get("error"):
            return self.service["error"]
        if self.symptom:
            return {
                "statusCode": self.symptom["status"],
                "message": self.symptom.get("client_error", ""),
                "body": self.symptom.get("body"),
            }
        return None

    def main_log(self) -> str:
        """The scoring container's log (v2: the ``inference-server`` container)."""
        name = "inference-server.log" if self.sdk == SDK_V2 else "main.log"
        return (self.folder / "logs" / name).read_text(encoding="utf-8")

    def init_log(self) -> str:
        """The init container's log (v2: the ``storage-initializer`` container, which fetches the model)."""
        name = "storage-initializer.log" if self.sdk == SDK_V2 else "init.log"
        return (self.folder / "logs" / name).read_text(encoding="utf-8")

    def build_log(self) -> str:
        """The image build log (``logs/build.log``), where the scenario has one; else empty."""
        path = self.folder / "logs" / "build.log"
        return path.read_text(encoding="utf-8") if path.is_file() else ""

    def diagnosis_text(self) -> str:
        """Everything a diagnosis may read: main log, init log and the error payload as JSON."""
        payload = self.error_payload
        parts = [self.main_log(), self.init_log(), self.build_log()]
        if payload is not None:
            parts.append(json.dumps(payload, indent=2))
        return "\n".join(parts)

    def traffic_rps(self) -> list[float]:
        """The traffic profile as requests per second, one value a second (empty without a profile)."""
        t = self.traffic
        if not t:
            return []
        start, end = t["spike_start_s"], t["spike_start_s"] + t["spike_duration_s"]
        return [
            float(t["spike_rps"] if start <= s < end else t["baseline_rps"]) for s in range(t["duration_s"])
        ]


def scenario_names(sdk: str | None = None) -> list[str]:
    """Names of the scenarios shipped with amlwizard, sorted; ``sdk`` ("v1" or "v2") keeps those of one SDK
    (a v2 scenario's folder name starts with ``v2-``)."""
    names = sorted(p.parent.name for p in SCENARIOS_DIR.glob("*/scenario.json"))
    if sdk is None:
        return names
    return [n for n in names if n.startswith("v2-") == (sdk == SDK_V2)]


def load_scenario(name: str) -> Scenario:
    """Read one scenario; ``UsageProblem`` names the ones that exist when ``name`` is not one."""
    path = SCENARIOS_DIR / name / "scenario.json"
    if "/" in name or "\\" in name or not path.is_file():
        raise UsageProblem(f"no workshop scenario {name!r}; choose one of: {', '.join(scenario_names())}")
    data = json.loads(path.read_text(encoding="utf-8"))
    return Scenario(
        name=data["name"],
        title=data["title"],
        description=data["description"],
        target=data["target"],
        expected=data.get("expected"),
        model=data["model"],
        service=data.get("service", {}),
        folder=path.parent,
        symptom=data.get("symptom"),
        faults=data.get("faults", []),
        traffic=data.get("traffic"),
        sdk=data.get("sdk", SDK_V1),
        endpoint=data.get("endpoint", {}),
        deployment=data.get("deployment", {}),
        operation=data.get("operation", {}),
    )


def load_scenarios(names: list[str] | None = None) -> list[Scenario]:
    """The chosen scenarios (all of them when ``names`` is empty or None), in the order given."""
    return [load_scenario(n) for n in (names or scenario_names())]
