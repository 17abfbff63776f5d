"""The strips that show where a deployment failed: the guide's six steps (SDK v1), and the six stages of an
SDK v2 online deployment (image build to scoring), the failed one marked. Only rendering."""

from __future__ import annotations

import html

from .._finding import DEPLOYMENT_STEPS, Finding

__all__ = ["steps_strip", "V2_STAGES", "v2_stage", "v2_stages_strip", "call_strip"]


def steps_strip(failed_step: int | None, *, passed: int = 0, note: str = "") -> str:
    """The six deployment steps as a strip; the failed one marked, those before it passed. With no failed
    step, ``passed`` steps are marked done (a healthy service: 5 from its state, 6 once a call answered 200)
    and ``note`` says what the next one needs."""
    cells = [(f"data-step='{i}'", f"{i}. {name}", what) for i, (name, what) in enumerate(DEPLOYMENT_STEPS, 1)]
    where = f"failed at step {failed_step}: {DEPLOYMENT_STEPS[failed_step - 1][0]}" if failed_step else note
    return _strip("amlw-steps", cells, failed_step, passed, where)


# The stages of an SDK v2 online deployment, as the online-endpoint troubleshooting doc walks them. The
# labels are fixed: the browser tests and the docs find the cells by them (data-stage).
V2_STAGES: tuple[tuple[str, str], ...] = (
    ("image build", "The environment's image is built (unless one was built before) into the workspace's "
     "container registry; its log is build.log in the workspace's storage."),
    ("image pull", "Instances are allocated (quota, Kubernetes scheduling) and the image is pulled onto "
     "them from the registry."),
    ("model download", "The storage-initializer container downloads the model into AZUREML_MODEL_DIR "
     "(/var/azureml-app/azureml-models/<name>/<version>)."),
    ("init()", "The inference-server container starts azmlinfsrv, which imports the scoring script and "
     "calls its init()."),
    ("probes", "The liveness and readiness probes must answer before traffic is routed (defaults: 10 s "
     "delay, every 10 s, 2 s timeout, 30 failures)."),
    ("scoring", "Each request runs run(): 408 past request_timeout_ms, 424 when the model answered an "
     "error, 429 past 2 x max_concurrent_requests_per_instance x instances in flight."),
)  # fmt: skip
_V2_BY_STEP = {1: "image build", 2: "image build", 3: "image pull", 4: "model download", 5: "init()",
               6: "scoring"}  # fmt: skip


def v2_stage(finding: Finding) -> str | None:
    """The v2 stage a finding failed at: the guide's step, except that a model file missing under
    AZUREML_MODEL_DIR belongs to the model's download and layout (storage-initializer), and a probe
    failure to the probes (a ResourceNotReady from a crashed init() stays at init())."""
    if finding.family == "model-path-not-found":
        return "model download"
    if any(word in finding.id for word in ("probe", "liveness", "readiness")):
        return "probes"
    return _V2_BY_STEP.get(finding.step or 0)


def v2_stages_strip(failed: str | None, *, passed: int = 0, note: str = "") -> str:
    """The six stages of an SDK v2 deployment as a strip, marked as ``steps_strip`` marks the guide's
    steps: ``failed`` (a stage label) and those before it passed; with none, ``passed`` stages done."""
    labels = [label for label, _ in V2_STAGES]
    at = labels.index(failed) + 1 if failed in labels else None
    cells = [(f"data-stage='{html.escape(label)}'", label, what) for label, what in V2_STAGES]
    where = f"failed at: {labels[at - 1]}" if at else note
    return _strip("amlw-steps amlw-steps-v2", cells, at, passed, where)


def _strip(
    classes: str, cells: list[tuple[str, str, str]], failed: int | None, passed: int, where: str
) -> str:
    """Cells (an attribute naming the cell, its label, its tooltip) joined by arrows, cell ``failed``
    (1-based) marked failed and those before it done, or ``passed`` cells done; ``where`` said after them."""
    spans = []
    for i, (attribute, label, what) in enumerate(cells, 1):
        cls, mark = _cell(i, failed, passed)
        spans.append(
            f"<span class='{cls}' title='{html.escape(what)}' {attribute} "
            f"style='{_CELL_STYLE}{_STYLE.get(cls, '')}'>{mark}{html.escape(label)}</span>"
        )
    after = f" <span class='amlw-step-where'>{html.escape(where)}</span>" if where else ""
    return f"<div class='{classes}'>" + "&rarr;".join(spans) + after + "</div>"


def call_strip(exact: list[Finding], *, v2: bool, ok: bool, note: str) -> str:
    """The strip after a call: the step (v1) or stage (v2) an exact finding names failed; else with an
    ``ok`` answer every step done, with another answer all but the last (``note`` says what it was)."""
    if v2:
        failed = next((v2_stage(f) for f in exact if v2_stage(f)), None)
        return v2_stages_strip(failed) if failed else v2_stages_strip(None, passed=6 if ok else 5, note=note)
    step = next((f.step for f in exact if f.step), None)
    return steps_strip(step) if step else steps_strip(None, passed=6 if ok else 5, note=note)


_CELL_STYLE = "display:inline-block;border:1px solid #999;border-radius:4px;padding:2px 8px;margin:2px;"
_STYLE = {
    "amlw-step amlw-step-failed": "background:#fdd;border-color:#c00;font-weight:bold",
    "amlw-step amlw-step-ok": "background:#efe",
}


def _cell(i: int, failed: int | None, passed: int) -> tuple[str, str]:
    """The class and mark of cell ``i`` (1-based) when cell ``failed`` failed, or ``passed`` are done."""
    if failed is None:
        return ("amlw-step amlw-step-ok", "✔ ") if i <= passed else ("amlw-step", "")
    if i < failed:
        return "amlw-step amlw-step-ok", "✔ "
    if i == failed:
        return "amlw-step amlw-step-failed", "✖ "
    return "amlw-step amlw-step-later", ""
