"""Workshop scenarios as data: a deployed service in a failure state, its logs, its app and model files.

``load_scenario(name)`` reads ``<name>/scenario.json`` and knows where its logs and app live; the emulator
serves them as a workspace, the wizards and tests read them directly. Format: ``README.md`` beside this file.
"""

from __future__ import annotations

import json
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
]

SCENARIOS_DIR = Path(__file__).resolve().parent

# The emulated workspace every scenario lives in (the names its payloads and logs use).
WORKSPACE: dict[str, str] = {
    "subscription_id": "5f6a7c2e-1d2b-4c3a-9e8f-0a1b2c3d4e5f",
    "resource_group": "rg-ml-workshop",
    "workspace_name": "mlw-workshop",
    "location": "westeurope",
    "tenant_id": "72f988bf-0000-4000-8000-00000000c0de",
}


@dataclass
class Scenario:
    """One workshop scenario.

    ``service`` is the service payload (camelCase, as the Azure ML API answers), ``model`` the registered
    model, ``expected`` the finding a diagnosis must name (None for the healthy one).
    """

    name: str
    title: str
    description: str
    target: str  # "AKS" or "ACI"
    expected: dict[str, Any] | None
    model: dict[str, Any]
    service: dict[str, Any]
    folder: Path
    symptom: dict[str, Any] | None = None
    faults: list[dict[str, Any]] = field(default_factory=list)
    traffic: dict[str, Any] | None = None

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
        """What the user sees as the error: the deployment error, else the HTTP failure of a call."""
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
        return (self.folder / "logs" / "main.log").read_text(encoding="utf-8")

    def init_log(self) -> str:
        return (self.folder / "logs" / "init.log").read_text(encoding="utf-8")

    def diagnosis_text(self) -> str:
        """Everything a diagnosis may read: main log, init log and the error payload as JSON."""
        payload = self.error_payload
        parts = [self.main_log(), self.init_log()]
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


def scenario_names() -> list[str]:
    """Names of the scenarios shipped with amlwizard, sorted."""
    return sorted(p.parent.name for p in SCENARIOS_DIR.glob("*/scenario.json"))


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
        service=data["service"],
        folder=path.parent,
        symptom=data.get("symptom"),
        faults=data.get("faults", []),
        traffic=data.get("traffic"),
    )


def load_scenarios(names: list[str] | None = None) -> list[Scenario]:
    """The chosen scenarios (all of them when ``names`` is empty or None), in the order given."""
    return [load_scenario(n) for n in (names or scenario_names())]
