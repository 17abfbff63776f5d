"""The one result type every diagnosis returns: a ``Finding`` with its evidence lines.

The engine, the backends and the model-path inspector all produce Findings; the CLI prints them as
JSON and the wizards render them. Plain dataclasses, no widget or azureml import.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Evidence", "Finding", "FAMILIES", "DEPLOYMENT_STEPS", "step_label", "link_url"]

# The ten failure ids of the troubleshooting guide, plus the two families beyond it.
FAMILIES: tuple[str, ...] = (
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
    "auth-or-workspace",
    "other",
)

# The six steps of a remote deployment, as the guide numbers them (1-based).
DEPLOYMENT_STEPS: tuple[tuple[str, str], ...] = (
    ("upload", "The Dockerfile of the InferenceConfig's environment and the source directory are sent to "
     "the cloud."),
    ("image build", "Unless an image was built before for the same environment (then it is reused), a "
     "Docker image is built in the cloud and stored in the workspace's default container registry."),
    ("image pull", "The image is pulled onto the compute target (ACI container group or AKS node)."),
    ("model mount", "The workspace's default blob store is mounted on the target, which makes the "
     "registered models reachable."),
    ("init", "The web server starts and calls init() of the entry (scoring) script."),
    ("run", "Each request to the deployed model is handled by run() of the scoring script."),
)  # fmt: skip


def step_label(step: int | None) -> str:
    """``"step 5 of 6: init"``, or ``"no single deployment step"``: how every view names a step."""
    if step is None or not 1 <= step <= len(DEPLOYMENT_STEPS):
        return "no single deployment step"
    return f"step {step} of {len(DEPLOYMENT_STEPS)}: {DEPLOYMENT_STEPS[step - 1][0]}"


def link_url(url: str | None) -> str | None:
    """``url`` when it may be shown as a link (http or https), else None: a session loaded from a file may
    carry any text as a documentation URL (``javascript:...``), which is then shown as text only."""
    text = (url or "").strip()
    scheme, _, rest = text.partition("://")
    if scheme.lower() in ("http", "https") and rest and not any(c.isspace() or c in "<>\"'`" for c in text):
        return text
    return None


@dataclass(frozen=True)
class Evidence:
    """One line of the user's text that supports a finding (1-based line number, masked text)."""

    line: int
    text: str


@dataclass
class Finding:
    """A named failure found in a text, a service state or a model layout.

    ``step`` is the guide's deployment step (1-6) where it happened, or None; ``confidence`` is
    0..1 and orders findings (root causes outrank their symptoms); ``facts`` holds what was pulled
    from the text (scarce resource, node counts, exit code, timeout, model name and path...).
    """

    id: str
    family: str
    title: str
    step: int | None
    confidence: float
    evidence: list[Evidence] = field(default_factory=list)
    explanation: str = ""
    remedies: list[str] = field(default_factory=list)
    doc_url: str = ""
    facts: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the shape ``amlwizard diagnose --json`` prints)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        data = dict(data)
        data["evidence"] = [Evidence(**e) for e in data.get("evidence", [])]
        return cls(**data)
