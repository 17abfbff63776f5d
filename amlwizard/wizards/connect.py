"""The Workspace wizard: the first page when no workspace is found, and where the user changes workspace.

Three ways in: the workspace's config.json, the workspace by subscription + resource group + name, or the
offline workshop. The choice is checked by listing the workspace's services; then the wizard the user asked
for opens on it (triage by default).
"""

from __future__ import annotations

import html
import json
from typing import Any

import ipywidgets as w

from .._errors import UsageProblem
from ._frame import Task, Wizard
from ._widgets import labelled

__all__ = ["ConnectWizard"]

_NOT_FOUND = (
    "No Azure ML workspace was found: no <code>config.json</code> here, in <code>.azureml/</code> or a "
    "parent folder (where <code>Workspace.from_config()</code> looks). Choose one of these:"
)


class ConnectWizard(Wizard):
    name = "connect"
    title = "Workspace"
    resume_step = False

    def build(self) -> list[tuple[str, w.Widget]]:
        wide = w.Layout(width="32em")
        self.intro = w.HTML().add_class("amlw-connect-intro")
        self.config_path = w.Text(
            placeholder="path/to/config.json (from this notebook's folder)", layout=w.Layout(width="26em")
        )
        self.config_path.add_class("amlw-config-path")
        self.config_button = w.Button(description="Use this config.json", icon="check")
        self.config_button.add_class("amlw-use-config")
        self.config_upload = w.FileUpload(
            accept=".json", multiple=False, description="Read a config.json", layout=w.Layout(width="auto")
        )
        self.config_upload.add_class("amlw-upload-config")
        self.subscription = w.Text(placeholder="00000000-0000-0000-0000-000000000000", layout=wide)
        self.subscription.add_class("amlw-subscription")
        self.resource_group = w.Text(placeholder="the workspace's resource group", layout=wide)
        self.resource_group.add_class("amlw-resource-group")
        self.workspace_name = w.Text(placeholder="the workspace's name", layout=wide)
        self.workspace_name.add_class("amlw-workspace-name")
        self.names_button = w.Button(description="Connect", icon="plug").add_class("amlw-connect-names")
        self.workshop_button = w.Button(
            description="Open the offline workshop", button_style="primary", icon="graduation-cap"
        ).add_class("amlw-open-workshop")
        self.on_click(self.config_button, lambda: self.use_config(self.config_path.value))
        self.on_click(self.names_button, lambda: self.use_names())
        self.on_click(self.workshop_button, lambda: self.use_workshop())
        self.config_upload.observe(self._uploaded, names="value")
        page = w.VBox(
            [
                self.intro,
                w.HTML("<b>1. The workspace's config.json</b> (Download config file, on the workspace's page "
                       "in the Azure portal or Azure ML studio)"),
                w.HBox([labelled("config.json", self.config_path), self.config_button]),
                labelled("or read it here", self.config_upload),
                w.HTML("<b>2. The workspace by name</b> (on the same page; you sign in as the Azure ML SDK "
                       "does: Azure CLI, managed identity, or a browser)"),
                labelled("Subscription id", self.subscription),
                labelled("Resource group", self.resource_group),
                labelled("Workspace name", self.workspace_name),
                w.HBox([self.names_button]),  # a button as wide as its label, not as the page
                w.HTML("<b>3. The offline workshop</b>: failing services to practise on, on this machine, "
                       "no Azure subscription needed"),
                w.HBox([self.workshop_button]),
            ]
        )  # fmt: skip
        return [("Choose a workspace", page)]

    def on_open(self, **kwargs: Any) -> None:
        target = self.session.target
        if target.get("kind") in ("workshop", "azure"):
            where = target.get("workspace") or (
                "the offline workshop" if target["kind"] == "workshop" else "the workspace of its config.json"
            )
            self.intro.value = f"This session uses {html.escape(where)}. To troubleshoot another, choose it:"
        else:
            self.intro.value = _NOT_FOUND

    # -- the three choices ---------------------------------------------------------------------------
    def use_config(self, path: str) -> Task | None:
        from .._target import target_from_options

        if not path.strip():
            raise UsageProblem("give the path of the workspace's config.json (or choose another way below)")
        return self.connect(target_from_options(workspace=path.strip()))

    def use_names(self) -> Task | None:
        from .._target import target_from_names

        names = (self.subscription.value, self.resource_group.value, self.workspace_name.value)
        return self.connect(target_from_names(*names))

    def use_workshop(self) -> Task | None:
        return self.connect({"kind": "workshop"})

    def _uploaded(self, change: dict[str, Any]) -> None:
        """A config.json read in the browser fills the three names (press Connect to use them)."""
        if not change["new"]:
            return
        try:
            config = json.loads(bytes(change["new"][0]["content"]).decode("utf-8"))
            values = [str(config[key]) for key in ("subscription_id", "resource_group", "workspace_name")]
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            self.show_error(
                "that file is not a workspace config.json (it needs subscription_id, resource_group and "
                "workspace_name): download it from the workspace's page"
            )
            return
        self.clear_error()
        self.subscription.value, self.resource_group.value, self.workspace_name.value = values
        self.set_status(f"read workspace {values[2]!r} from {change['new'][0]['name']}: press Connect")

    # -- connecting -----------------------------------------------------------------------------------
    def connect(self, target: dict[str, Any]) -> Task:
        """Open the workspace ``target`` names and list its services; then the wizard asked for opens."""
        service = self.session.target.get("service")
        chosen = {**target, "service": service} if service and target["kind"] == "azure" else dict(target)
        limit = self.session.timeout

        def work(task: Task) -> tuple[Any, int]:
            from .._target import open_backend

            task.progress("opening the workspace")
            backend = open_backend(chosen, timeout_s=min(limit, 60.0))
            task.progress("listing its services")
            return backend, len(backend.list_services())

        def done(result: tuple[Any, int]) -> None:
            backend, count = result
            self.session.set_target(chosen, backend)
            self.record(f"connected to {backend.description}", f"{count} service(s)")
            then = self.session.state.get(self.name, {}).get("then") or "triage"
            if self.host is not None:
                self.host.rebuild(keep=self.name)  # the other wizards are built again, for this workspace
                self.open_wizard(then)

        return self.run_task("Connecting", work, done)
