"""The Size replicas wizard: the AKS autoscaler's settings against a traffic profile, live; a load probe of
the service; and the cheapest settings under a 503 budget.

Controls (pre-filled from the service) feed the engine's formula, queueing answer and simulation; the
autoscale plot (a plotly FigureWidget) is updated in place, with the 503 rate. *Load probe* (``_probe_step``)
sends real traffic and sets what came back beside the simulator's prediction; *Deploy configuration*
recommends settings (``sizing.recommend``) with the ``AksWebservice.deploy_configuration`` call to paste.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from .._errors import UsageProblem
from .._finding import Finding
from ._frame import Task, Wizard
from ._managed_sizing import ManagedPanel, kubernetes_snippet_html
from ._probe_step import ProbeStep
from ._v2 import v2_kind
from ._widgets import code_html, labelled

__all__ = ["ReplicasWizard"]


def _defaults() -> dict[str, Any]:
    """The controls' values when nothing is known about the service (AKS defaults, the guide's load)."""
    from ..sizing import SizingInputs

    return SizingInputs().to_dict()


class ReplicasWizard(Wizard):
    name = "replicas"
    title = "Size replicas"

    def build(self) -> list[tuple[str, w.Widget]]:
        d = _defaults()
        self.profile = w.Dropdown(options=["constant", "ramp", "spike", "daily"], value=d["profile"])
        self.rps = w.BoundedFloatText(value=d["rps"], min=0.01, max=100_000, step=1)
        self.peak_rps = w.BoundedFloatText(value=d["peak_rps"], min=0.01, max=100_000, step=1)
        self.request_seconds = w.BoundedFloatText(value=d["request_seconds"], min=0.001, max=600, step=0.01)
        self.target_utilization = w.IntSlider(
            value=d["target_utilization"], min=10, max=100, continuous_update=False
        )
        self.min_replicas = w.BoundedIntText(value=d["min_replicas"], min=1, max=1000)
        self.max_replicas = w.BoundedIntText(value=d["max_replicas"], min=1, max=1000)
        self.max_concurrent = w.BoundedIntText(value=d["max_concurrent"], min=1, max=1000)
        self.controls = {
            "profile": self.profile, "rps": self.rps, "peak_rps": self.peak_rps,
            "request_seconds": self.request_seconds, "target_utilization": self.target_utilization,
            "min_replicas": self.min_replicas, "max_replicas": self.max_replicas,
            "max_concurrent": self.max_concurrent,
        }  # fmt: skip
        for key, control in self.controls.items():
            control.add_class(f"amlw-{key.replace('_', '-')}")
            control.layout.width = "16em" if key == "target_utilization" else "9em"
            control.observe(lambda _: self.update(), names="value")
        self.formula = w.HTML().add_class("amlw-formula")
        self.queueing = w.HTML().add_class("amlw-queueing")
        self.rate_503 = w.HTML().add_class("amlw-503")
        self.plot_box = w.Box().add_class("amlw-plot")
        self.snippet = w.HTML().add_class("amlw-snippet")
        self.budget = w.BoundedFloatText(
            value=0.1, min=0.0, max=50.0, step=0.05, layout=w.Layout(width="8em")
        )
        self.budget.add_class("amlw-budget")
        self.budget.observe(lambda _: self.recommend(), names="value")
        self.recommendation = w.HTML().add_class("amlw-recommendation")
        self._recommended: tuple[Any, Any] | None = None  # (inputs, budget) -> the Recommendation shown
        self.probe = ProbeStep(self, self._next_step, lambda _: self.recommend())
        self.figure: Any = None
        self._workload_cache: tuple[tuple[Any, ...], Any] | None = None
        self._generation = 0
        self._hidden: dict[str, Any] = {}  # settings with no control (timeout, queue wait, spike timing)
        labels = {
            "profile": "Traffic profile", "rps": "Requests/s (base)", "peak_rps": "Requests/s (peak)",
            "request_seconds": "Seconds a request", "target_utilization": "Target utilization %",
            "min_replicas": "Min replicas", "max_replicas": "Max replicas",
            "max_concurrent": "Requests per replica",
        }  # fmt: skip
        rows = [labelled(labels[k], c, "11em") for k, c in self.controls.items()]
        # the controls keep their width; the answers beside them take what is left
        controls = w.VBox(rows, layout=w.Layout(flex="none", min_width="28em"))
        answers = w.VBox([self.formula, self.queueing, self.rate_503], layout=w.Layout(flex="1 1 auto"))
        self.aks = w.VBox([w.HBox([controls, answers]), self.plot_box])
        self.managed = ManagedPanel(self, self.snippet)  # SDK v2 managed: shown instead of the autoscaler
        size = w.VBox([self.aks, self.managed.widget])
        deploy = w.VBox([labelled("503 budget (%)", self.budget, "10em"), self.recommendation, self.snippet])
        return [
            ("Traffic and autoscaler", size),
            ("Load probe", self.probe.widget),
            ("Deploy configuration", deploy),
        ]

    # -- opening -------------------------------------------------------------------------------
    def on_open(self, finding: Finding | None = None, probe: bool = False, **kwargs: Any) -> None:
        if probe:  # opened from triage's Load probe button
            self.go(1)
        if getattr(self, "_filled", False):
            return
        self._filled = True
        s = self.session
        if (
            s.state.get(self.name, {}).get("rps") is None
            and not s.state.get("service")
            and s.has_workspace
            and s.service
        ):
            self.run_task(
                "Reading the service's autoscaler",
                lambda t: s.backend.get_service(s.service),
                self._got_service,
            )
            return
        self.set_values(self._initial_values())

    def _got_service(self, details: Any) -> None:
        from dataclasses import asdict

        self.session.state["service"] = asdict(details)
        self.set_values(self._initial_values())

    def _initial_values(self) -> dict[str, Any]:
        from ..sizing import SizingInputs

        s = self.session
        saved = s.state.get(self.name, {})
        if saved.get("rps") is not None:
            return SizingInputs.from_dict(saved).to_dict()
        inputs = SizingInputs()
        if s.state.get("service"):
            from ..backends import ServiceDetails

            inputs = inputs.with_service(ServiceDetails.from_dict(s.state["service"]))
        scenario = s.target.get("scenario") or (s.service if s.target.get("kind") == "workshop" else None)
        if scenario:
            from ..scenarios import load_scenario

            try:
                traffic = load_scenario(scenario).traffic
            except UsageProblem:
                traffic = None
            if traffic:  # the workshop's observed spike, so the plot shows the 503s the users saw
                inputs = inputs.with_scenario_traffic(traffic)
        return inputs.to_dict()

    def set_values(self, values: dict[str, Any]) -> None:
        """Set every control at once and update once (not once per control)."""
        if v2_kind(self.session) == "Managed":  # its panel instead of the autoscaler
            return self.managed.show_instead(self.aks, self.budget, values)
        self._hidden = {k: v for k, v in values.items() if k not in self.controls}
        self._generation += 1
        self._muted = True
        try:
            for key, control in self.controls.items():
                control.value = values[key]
        finally:
            self._muted = False
        self.update()

    def values(self) -> dict[str, Any]:
        return {**_defaults(), **self._hidden, **{k: c.value for k, c in self.controls.items()}}

    # -- updating ------------------------------------------------------------------------------
    def update(self) -> Task | None:
        """Recompute for the controls' values; a newer change supersedes an older one still running."""
        from ..sizing import SizingInputs

        if getattr(self, "_muted", False):
            return None
        inputs = SizingInputs.from_dict(self.values())
        if inputs.min_replicas > inputs.max_replicas:
            self.show_error(
                f"min replicas ({inputs.min_replicas}) is above max replicas ({inputs.max_replicas})"
            )
            return None
        self._generation += 1
        generation = self._generation

        def work(task: Task) -> Any:
            from .. import sizing

            answer = sizing.size_replicas(
                inputs.load_rps, inputs.request_seconds, max_concurrent=inputs.max_concurrent,
                target_utilization=inputs.target_utilization / 100, max_wait_ms=inputs.max_wait_ms,
            )  # fmt: skip
            return answer, inputs.simulate(self._cached_workload(inputs))

        def done(result: Any) -> None:
            if generation == self._generation:  # else a newer change is on its way
                self._show(inputs.to_dict(), *result)

        return self.run_task("Sizing", work, done)

    def _cached_workload(self, inputs: Any) -> Any:
        """The same traffic is drawn once: moving an autoscaler control only re-runs the simulation."""
        cached = self._workload_cache
        if cached is None or cached[0] != inputs.traffic_key():
            cached = self._workload_cache = (inputs.traffic_key(), inputs.workload())
        return cached[1]

    def _show(self, state: dict[str, Any], answer: Any, sim: Any) -> None:
        from ..plots import autoscale_figure, update_autoscale_figure

        load = "peak" if state["profile"] != "constant" else "steady"
        self.formula.value = (
            f"<b>Guide's formula</b> ({load} {answer.target_rps:g} rps × {answer.request_seconds:g} s "
            f"/ {answer.target_utilization:.0%}): <b>{answer.replicas}</b> replica(s)"
        )
        self.queueing.value = (
            f"<b>Queueing (Erlang C)</b>: <b>{answer.erlang_c_replicas}</b> replica(s)<br>"
            f"<small>{html.escape(answer.explanation)}</small>"
        )
        t = sim.totals
        self.rate_503.value = (
            f"<b>Simulated {t.seconds / 3600:g} h</b>: 503 rate <b>{t.rate_503:.2%}</b> "
            f"({t.rejected_503:,} of {t.requests:,}), 504 rate {t.rate_504:.2%}, "
            f"peak {t.peak_replicas} replica(s), mean utilization {t.mean_utilization:.0%}"
        )
        if self.figure is None:
            self.figure = autoscale_figure(sim, widget=True)
            self.plot_box.children = (self.figure,)
        else:
            update_autoscale_figure(self.figure, sim)
        self.snippet.value = (
            kubernetes_snippet_html(
                sim.settings, self.session.state["service"], "Your current settings (step 1)"
            )
            if v2_kind(self.session) == "Kubernetes"
            else code_html(
                f"deployment_config = {sim.settings.deploy_configuration_call()}",
                "Your current settings (step 1), for comparison",
            )
        )
        self.session.state[self.name] = {**state, "step": self.step}
        self.session.results[self.name] = {
            "title": "Replica sizing",
            "traffic": f"{state['profile']}, {state['rps']:g} to {state['peak_rps']:g} rps, "
            f"{state['request_seconds']:g} s a request",
            "formula replicas": answer.replicas,
            "queueing replicas": answer.erlang_c_replicas,
            "simulated 503 rate": f"{t.rate_503:.2%}",
            "settings": f"min {state['min_replicas']}, max {state['max_replicas']}, "
            f"target {state['target_utilization']} %",
            "snippet": sim.settings.deploy_configuration_call(),
        }
        self.record(
            "sized replicas",
            f"min {state['min_replicas']} max {state['max_replicas']} "
            f"target {state['target_utilization']} %: 503 rate {t.rate_503:.2%}",
            update_last=True,
        )

    # -- the Load probe's and the Deploy configuration's ------------------------------------------------
    def on_step(self, step: int) -> None:
        if step == 2 and v2_kind(self.session) != "Managed":
            self.recommend()

    def _next_step(self, wizard: str, finding: Finding) -> None:
        self.record(f"opened {wizard} for finding {finding.id}")
        self.open_wizard(wizard, finding=finding)

    def recommend(self) -> Task | None:
        """The cheapest settings keeping the profile's 503s under the budget (``sizing.recommend``)."""
        from ..sizing import SizingInputs

        if v2_kind(self.session) == "Managed":  # no autoscaler: the panel, with what the probe measured
            self.probe.advice.value = self.managed.after_probe() if self.probe.result is not None else ""
            return None
        inputs = SizingInputs.from_dict(self.values())
        budget = float(self.budget.value) / 100.0
        key = (inputs, budget)
        if self._recommended is not None and self._recommended[0] == key:
            return None
        if inputs.min_replicas > inputs.max_replicas:
            return None

        def work(task: Task) -> Any:
            from ..sizing import recommend

            workload = self._cached_workload(inputs)
            task.progress("simulating the candidate settings")
            return recommend(workload, inputs.settings(), budget_503=budget)

        def done(advice: Any) -> None:
            self._recommended = (key, advice)
            self._show_recommendation(inputs, advice)

        return self.run_task("Recommending settings", work, done)

    def _show_recommendation(self, inputs: Any, advice: Any) -> None:
        s = advice.settings
        head = (
            f"<b>Recommended</b> for your traffic ({html.escape(inputs.profile)}, {inputs.rps:g} to "
            f"{inputs.load_rps:g} rps, {inputs.request_seconds:g} s a request) under a 503 budget of "
            f"{advice.budget_503:.2%}: min <b>{s.autoscale_min_replicas}</b>, max "
            f"<b>{s.autoscale_max_replicas}</b>, target <b>{s.autoscale_target_utilization} %</b><br>"
            f"<small>{html.escape(advice.note)}</small>"
        )
        code = code_html(
            "from azureml.core.webservice import AksWebservice\n\n"
            f"deployment_config = {advice.deploy_configuration}",
            "Paste into your deployment code",
        )
        if v2_kind(self.session) == "Kubernetes":
            code = kubernetes_snippet_html(
                s, self.session.state["service"], "Paste into your deployment code"
            )
        self.recommendation.value = head + code
        self.probe.advice.value = head + code if self.probe.result is not None else ""
        self.session.results["recommendation"] = {
            "title": "Recommended settings",
            "budget": f"{advice.budget_503:.2%}",
            "note": advice.note,
            "snippet": advice.deploy_configuration,
        }
