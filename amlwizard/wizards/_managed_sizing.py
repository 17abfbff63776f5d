"""Size replicas for SDK v2: a managed deployment's panel (instances for the load, the 429 ceiling,
request_timeout_ms against run()'s measured time, the quota with the 20 % reserve, the v2 snippet and YAML),
and a Kubernetes deployment's v2 snippet of the autoscaler settings the simulator shows.

The numbers are ``sizing.size_managed``'s and ``sizing.quota_for``'s; this module only shows them.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from ._widgets import code_html, labelled

__all__ = ["ManagedPanel", "kubernetes_snippet_html"]


def _names(details: dict[str, Any]) -> tuple[str, str]:
    return details.get("endpoint") or "my-endpoint", details.get("deployment") or "blue"


def kubernetes_snippet_html(settings: Any, details: dict[str, Any], title: str) -> str:
    """The SDK v2 ``KubernetesOnlineDeployment`` (TargetUtilizationScaleSettings) and its YAML."""
    code, yaml = settings.v2_kubernetes(*_names(details))
    return code_html(code, title) + code_html(yaml, "Or in the deployment's YAML (az ml online-deployment)")


def _measured_run_seconds(session: Any) -> tuple[float | None, float | None]:
    """(mean, slowest) seconds of run() as this session measured them: the load probe's unqueued request time
    and its slowest answers, else the local server's last request."""
    probe = session.state.get("probe", {})
    if probe.get("run_ms"):
        return probe["run_ms"] / 1000, (probe.get("slowest_ms") or probe["run_ms"]) / 1000
    local = session.state.get("local", {}).get("run_ms")
    return (local / 1000, local / 1000) if local else (None, None)


class ManagedPanel:
    """The controls and answers of a managed online deployment (``update`` recomputes; cheap, no task)."""

    def __init__(self, wizard: Any, snippet: w.HTML) -> None:
        self.wizard, self.snippet = wizard, snippet  # the snippet: shown on the wizard's Deploy configuration
        self.rps = w.BoundedFloatText(value=1, min=0.01, max=100_000, step=1).add_class("amlw-managed-rps")
        self.request_seconds = w.BoundedFloatText(value=0.1, min=0.001, max=600, step=0.01)
        self.slowest_seconds = w.BoundedFloatText(value=0.1, min=0.001, max=3600, step=0.01)
        self.max_concurrent = w.BoundedIntText(value=1, min=1, max=1000)
        self.target = w.IntSlider(value=70, min=10, max=100, continuous_update=False)
        self.instance_type = w.Text(value="Standard_DS3_v2")
        self.quota_free = w.BoundedIntText(value=0, min=0, max=1_000_000)
        self.controls = {
            "rps": self.rps, "request_seconds": self.request_seconds, "slowest_seconds": self.slowest_seconds,
            "max_concurrent": self.max_concurrent, "target_utilization": self.target,
            "instance_type": self.instance_type, "quota_free": self.quota_free,
        }  # fmt: skip
        labels = {
            "rps": "Requests/s", "request_seconds": "run() seconds (mean)",
            "slowest_seconds": "run() seconds (slowest)", "max_concurrent": "Concurrent per instance",
            "target_utilization": "Target utilization %", "instance_type": "Instance type",
            "quota_free": "Free cores in quota",
        }  # fmt: skip
        for key, control in self.controls.items():
            control.add_class(f"amlw-managed-{key.replace('_', '-')}")
            control.observe(lambda _: self.update(), names="value")
        self.answer = w.HTML().add_class("amlw-managed-answer")
        self.current = w.HTML().add_class("amlw-managed-current")
        rows = [labelled(labels[k], c, "13em", hint="0 = unknown" if k == "quota_free" else "") for k, c in
                self.controls.items()]  # fmt: skip
        self.widget = w.VBox(
            [
                w.HTML(
                    "<b>Managed online deployment</b>: no autoscaler to simulate (managed deployments scale "
                    "with Azure Monitor autoscale rules); the instances, the 429 ceiling, the request "
                    "timeout and the quota for your load:"
                ),
                w.HBox([w.VBox(rows), w.VBox([self.answer, self.current])]),
            ]
        ).add_class("amlw-managed")
        self.widget.layout.display = "none"
        self._muted = False
        self.result: Any = None

    def fill(self, details: dict[str, Any], rps: float, request_seconds: float) -> None:
        """The deployment's own settings and the load to size for; run()'s measured time when known."""
        requests = details.get("request_settings") or {}
        mean, slowest = _measured_run_seconds(self.wizard.session)
        self._muted = True
        try:
            self.rps.value = rps
            self.request_seconds.value = mean or request_seconds
            self.slowest_seconds.value = slowest or mean or request_seconds
            self.max_concurrent.value = int(
                requests.get("max_concurrent_requests_per_instance")
                or details.get("max_concurrent_requests")
                or 1
            )
            self.instance_type.value = details.get("instance_type") or "Standard_DS3_v2"
            self.quota_free.value = _free_cores(self.wizard.session.findings)
        finally:
            self._muted = False
        self.widget.layout.display = None
        self.update()

    def show_instead(self, aks: w.Widget, budget: w.Widget, values: dict[str, Any]) -> None:
        """Shown in place of the autoscaler and the 503 budget (a managed deployment has neither)."""
        aks.layout.display = budget.layout.display = "none"
        self.fill(self.wizard.session.state["service"], values["rps"], values["request_seconds"])

    def after_probe(self) -> str:
        """Sized again with run()'s time the probe measured; the answer and snippet for the probe's step."""
        mean, slowest = _measured_run_seconds(self.wizard.session)
        if mean:
            self._muted = True
            self.request_seconds.value, self.slowest_seconds.value = mean, slowest or mean
            self._muted = False
        self.update()
        return self.answer.value + self.snippet.value

    def update(self) -> Any:
        if self._muted:
            return None
        from ..sizing import ceiling_429, quota_for, size_managed

        details = self.wizard.session.state.get("service") or {}
        endpoint, deployment = _names(details)
        free = self.quota_free.value or None
        s = size_managed(
            self.rps.value, self.request_seconds.value, slowest_seconds=self.slowest_seconds.value,
            max_concurrent=self.max_concurrent.value, target_utilization=self.target.value / 100,
            instance_type=self.instance_type.value.strip() or None, endpoint=endpoint, deployment=deployment,
            quota_limit=free,
        )  # fmt: skip
        self.result = s
        self.answer.value = (
            f"<b>{s.instances}</b> instance(s) for {s.rps:g} rps × {s.request_seconds:g} s "
            f"({s.in_flight:g} in flight on average) at {self.target.value} % utilization<br>"
            f"<b>429 ceiling</b>: 2 × max_concurrent_requests_per_instance ({self.max_concurrent.value}) × "
            f"instance_count ({s.instances}) = <b>{s.ceiling_429}</b> requests in flight "
            f"(about {s.max_rps_before_429:g} rps before 429s)<br>"
            f"<b>request_timeout_ms = {s.request_timeout_ms}</b>: {html.escape(s.timeout_note)}<br>"
            f"<b>Quota</b>: {html.escape(s.quota_note)}"
        )
        count = details.get("num_replicas")
        if count:
            ceiling = ceiling_429(self.max_concurrent.value, count)
            _, note = quota_for(count, s.cores_per_instance, self.instance_type.value, free)
            self.current.value = (
                f"<b>Your deployment now</b>: instance_count {count}: 429 beyond {ceiling} requests in "
                f"flight; {html.escape(note)}"
            )
        self.snippet.value = code_html(
            s.snippet, "Paste into your deployment code (azure-ai-ml)"
        ) + code_html(s.yaml, "Or in the deployment's YAML (az ml online-deployment update -f)")
        self.wizard.recommendation.value = self.answer.value  # Deploy configuration: the answer and snippet
        self.wizard.session.results["replicas"] = {
            "title": "Replica sizing (managed online deployment)",
            "load": f"{s.rps:g} rps, run() {s.request_seconds:g} s "
            f"(slowest {self.slowest_seconds.value:g} s)",
            "instances": s.instances,
            "429 ceiling": s.ceiling_429,
            "request_timeout_ms": s.request_timeout_ms,
            "quota": s.quota_note,
            "snippet": s.snippet,
        }
        self.wizard.record("sized the managed deployment", f"{s.instances} instance(s)", update_last=True)
        return s


def _free_cores(findings: list[Any]) -> int:
    """Cores left in the quota, from an out-of-quota error the session diagnosed ("usage/limit: 0/6")."""
    for f in findings:
        usage_limit = str(f.facts.get("usage_limit") or "")
        if "/" in usage_limit:
            used, limit = usage_limit.split("/", 1)
            if used.isdigit() and limit.isdigit():
                return max(0, int(limit) - int(used))
    return 0
