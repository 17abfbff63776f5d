"""What the user wants troubleshot: the target, decided once from the magic's or the CLI's options.

A target is a plain dict, saved with the session: ``kind`` ("workshop", "azure", "log", "text", or "none":
no workspace found yet, the user chooses one), ``config`` (a config.json) or ``subscription_id`` /
``resource_group`` / ``workspace_name``, ``service`` (a v1 web service, or an SDK v2 online deployment as
``endpoint/deployment``, or an endpoint alone until ``resolve_service`` picks its deployment), ``scenario``,
``log`` (a file); once the service is known, ``sdk``, ``compute_type`` and, for v2, ``endpoint`` and
``deployment``. ``open_backend`` turns
it into the workspace it names (the offline workshop, a config.json written by ``amlwizard emulator``, or
Azure), seen through both SDKs when azure-ai-ml is installed (``CompositeBackend``: v1 services and v2
online deployments side by side).
"""

from __future__ import annotations

import json
import os
import re
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._errors import AmlWizardError, UsageProblem

if TYPE_CHECKING:
    from .backends import Backend, EndpointSummary, ServiceSummary

__all__ = [
    "find_workspace_config",
    "target_from_options",
    "target_from_names",
    "resolve_service",
    "open_backend",
    "backend_in_use",
    "no_workspace_message",
    "WORKSHOP_STOPPED",
]

CONFIG_NAMES = ("config.json", ".azureml/config.json", "aml_config/config.json")
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
WORKSHOP_STOPPED = (
    "the offline workshop was stopped (workshop.stop() in this kernel): restart it with "
    "%aml_troubleshoot --workshop, or run the notebook's setup cell (start_workshop()) again"
)
# backend -> the workshop it was opened on, so a stopped workshop is named as such (not as a network problem)
_WORKSHOP_OF: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def no_workspace_message(workshop_flag: str = "--workshop") -> str:
    return (
        "no Azure ML workspace config found (config.json here, in .azureml/ or a parent folder): "
        f"pass --workspace PATH/config.json, or try the offline workshop with {workshop_flag}"
    )


def find_workspace_config(start: Path | None = None) -> Path | None:
    """Where ``Workspace.from_config()`` would find config.json: here, ``.azureml/``, or a parent."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            if (candidate / name).is_file():
                return candidate / name
    return None


def target_from_options(
    *,
    service: str | None = None,
    workspace: str | None = None,
    workshop: bool = False,
    scenario: str | None = None,
    log: str | None = None,
    text: bool = False,
    default_workshop: bool = False,
    workshop_flag: str = "--workshop",
    choose_later: bool = False,
    endpoint: str | None = None,
    deployment: str | None = None,
) -> dict[str, Any]:
    """The target the options name; a ``UsageProblem`` (one line) for options that contradict or miss.

    ``endpoint`` / ``deployment``: an SDK v2 online deployment (``--endpoint E --deployment D``), the same
    as ``service="E/D"``; an endpoint alone means its deployment with the most traffic (``resolve_service``
    picks it once the workspace answers).

    ``text``: the user gave a text to diagnose (a ``%%aml_troubleshoot`` cell), so no workspace is needed.
    ``default_workshop``: the workshop is the default when no option names a workspace.
    ``choose_later``: when no option names a workspace and no config.json is found, the target's kind is
    "none" (the magic then lets the user choose one) instead of a ``UsageProblem``.
    """
    target: dict[str, Any] = {}
    service = _online_name(service, endpoint, deployment)
    if scenario and not (workshop or default_workshop):
        raise UsageProblem(
            f"--scenario needs {workshop_flag} (scenarios live in the offline workshop workspace)"
        )
    if workshop and workspace:
        raise UsageProblem(f"choose one of {workshop_flag} and --workspace")
    if log:
        path = Path(log).expanduser()
        if not path.is_file():
            raise UsageProblem(f"no log file at {log!r}: check the path (relative to {os.getcwd()})")
        target.update(kind="log", log=str(path))
    if workshop or (default_workshop and not workspace and not log and not text):
        target.update(kind="workshop")
    elif workspace:
        config = Path(workspace).expanduser()
        if not config.is_file():
            raise UsageProblem(
                f"no workspace config at {workspace!r}: download config.json from the workspace's page in "
                "Azure ML studio"
            )
        target.update(kind="azure", config=str(config))
    elif not log and not text:
        found = find_workspace_config()
        if found is None and not choose_later:
            raise UsageProblem(no_workspace_message(workshop_flag))
        if found is None:
            target.update(kind="none")
        else:
            target.update(kind="azure", config=str(found))
    if scenario and service and "/" in service and scenario != service.partition("/")[0]:
        raise UsageProblem(f"--scenario {scenario!r} and {service!r} name two endpoints: give one")
    if scenario or service:
        target["service"] = service if service and "/" in service else scenario or service
        if target.get("kind") == "workshop":
            _workshop_scenario(target)
    if "/" in target.get("service", ""):
        endpoint, _, deployment = target["service"].partition("/")
        target.update(sdk="v2", endpoint=endpoint, deployment=deployment)
    if text:
        target.setdefault("kind", "text")
    return target


def _online_name(service: str | None, endpoint: str | None, deployment: str | None) -> str | None:
    """The one name of what ``service`` / ``--endpoint`` / ``--deployment`` say (checked offline)."""
    if endpoint and service:
        raise UsageProblem(f"give a service ({service!r}) or --endpoint, not both")
    if deployment and not endpoint:
        raise UsageProblem("--deployment needs --endpoint (or give ENDPOINT/DEPLOYMENT)")
    if endpoint and "/" in endpoint.strip("/"):
        raise UsageProblem(f"--endpoint {endpoint!r}: give the endpoint's name; the deployment: --deployment")
    name = f"{endpoint.strip('/')}/{deployment}" if endpoint and deployment else endpoint or service
    if name and "/" in name:
        from .backends._base import split_name

        split_name(name)  # "a/b/c", "/b": one line saying what a name of an online deployment is
        name = name.strip().strip("/")
    return name


def _workshop_scenario(target: dict[str, Any]) -> None:
    """The workshop scenario the target's service names (a v2 one by its endpoint, ``endpoint/deployment``
    too); the service becomes what the workspace calls it (v2: ``endpoint/deployment``)."""
    from .scenarios import load_scenario, scenario_names

    given = target["service"]
    endpoint, _, deployment = given.partition("/")
    if endpoint not in scenario_names():
        raise UsageProblem(f"no workshop scenario {endpoint!r}; choose one of: {', '.join(scenario_names())}")
    full = load_scenario(endpoint).service_name  # v2: endpoint/deployment
    if deployment and full != given:
        there = full.partition("/")[2] or "none (a v1 web service)"
        raise UsageProblem(
            f"workshop scenario {endpoint!r} has no deployment {deployment!r}; its deployment: {there}"
        )
    target["scenario"], target["service"] = endpoint, full


def resolve_service(
    name: str, services: list[ServiceSummary], endpoints: list[EndpointSummary]
) -> tuple[str, str]:
    """(the service or ``endpoint/deployment`` that ``name`` means in a workspace listed as ``services`` and
    ``endpoints``, a note saying which deployment was chosen, or ""). An endpoint alone means its deployment
    with the most traffic (its only one when none has traffic). A name that is not there: a one-line
    ``NotFoundError`` naming what is."""
    from ._errors import NotFoundError

    if name in {s.name for s in services}:
        return name, ""
    endpoint, _, deployment = name.partition("/")
    found = next((e for e in endpoints if e.name == endpoint), None)
    if found is None:
        v1 = ", ".join(s.name for s in services if s.sdk != "v2") or "none"
        v2 = ", ".join(e.name for e in endpoints) or "none"
        if deployment:
            raise NotFoundError(f"no online endpoint {endpoint!r} in this workspace; online endpoints: {v2}")
        raise NotFoundError(f"no service {endpoint!r} in this workspace (no web service or online endpoint "
                            f"of that name); web services: {v1}; online endpoints: {v2}")  # fmt: skip
    deployments = [d.deployment or d.name.partition("/")[2] for d in found.deployments]
    if deployment:
        if deployment not in deployments:
            raise NotFoundError(f"online endpoint {endpoint!r} has no deployment {deployment!r}; its "
                                f"deployments: {', '.join(deployments) or 'none'}")  # fmt: skip
        return name, ""
    traffic = {k: v for k, v in (found.traffic or {}).items() if v and k in deployments}
    if traffic:
        chosen = max(sorted(traffic), key=lambda k: traffic[k])
        why = f"it takes {traffic[chosen]}% of the traffic"
    elif len(deployments) == 1:
        chosen, why = deployments[0], "its only deployment"
    else:
        there = ", ".join(deployments) or "none"
        raise NotFoundError(f"online endpoint {endpoint!r} sends no traffic to a deployment (deployments: "
                            f"{there}): name one as ENDPOINT/DEPLOYMENT")  # fmt: skip
    return f"{endpoint}/{chosen}", f"endpoint {endpoint!r}: deployment {chosen!r} ({why})"


def target_from_names(subscription_id: str, resource_group: str, workspace_name: str) -> dict[str, Any]:
    """The target of a workspace given by name (as on its page in Azure ML studio), checked for typos."""
    names = {
        "subscription_id": subscription_id.strip(),
        "resource_group": resource_group.strip(),
        "workspace_name": workspace_name.strip(),
    }
    missing = [key.replace("_", " ") for key, value in names.items() if not value]
    if missing:
        raise UsageProblem(
            f"give the {', '.join(missing)}: they are on the workspace's page in Azure ML studio"
        )
    if not _GUID.fullmatch(names["subscription_id"]):
        raise UsageProblem(
            f"{names['subscription_id']!r} is not a subscription id (a GUID such as "
            "5f6a7c2e-1d2b-4c3a-9e8f-0a1b2c3d4e5f): copy it from the workspace's page in Azure ML studio"
        )
    return {"kind": "azure", **names}


def _emulator_config(path: Path) -> bool:
    """Whether a config.json was written by ``amlwizard emulator`` (it names the emulator's URL)."""
    try:
        return "amlwizard_emulator" in json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError) as exc:
        raise UsageProblem(
            f"cannot read workspace config {path}: {exc}; it must be the config.json from Azure ML studio"
        ) from exc


def open_backend(
    target: dict[str, Any],
    *,
    timeout_s: float | None = None,
    owner: str = "session",
    timeout_hint: str | None = None,
) -> Backend:
    """The workspace of ``target`` (connecting may take seconds). ``owner`` starts the workshop on its
    behalf when the target is the workshop (see ``amlwizard.workshop.stop_workshop``). ``timeout_hint``:
    how the time-limit message says to allow more time (the CLI's ``--timeout S``)."""
    from .backends._azure_errors import TIMEOUT_HINT, bounded, translate
    from .backends.azure import DEFAULT_TIMEOUT_S, AzureBackend, quiet_sdk_logs

    timeout = DEFAULT_TIMEOUT_S if timeout_s is None else timeout_s
    kw: dict[str, Any] = {"timeout_s": timeout, "timeout_hint": timeout_hint or TIMEOUT_HINT}
    kind = target.get("kind")
    if kind == "workshop":
        from .workshop import start_workshop

        workshop = start_workshop(owner=owner)
        backend = _both(AzureBackend(workshop.workspace, **kw), lambda cls: cls(workshop.ml_client, **kw))
        _WORKSHOP_OF[backend] = workshop
        return backend
    if kind == "azure":
        config = target.get("config")
        if config and Path(config).is_file() and _emulator_config(Path(config)):
            from .workshop import connect

            what = "connecting to the offline workshop"
            quiet_sdk_logs()  # the SDK logs its own refusals; without a handler Python prints them raw
            try:
                workspace = bounded(lambda: connect(config), timeout, what, kw["timeout_hint"])
            except AmlWizardError:
                raise
            except Exception as exc:  # the SDK refused (403 on the subscription, a 500): one line
                raise translate(exc, what=what, workspace=str(config), kind="workspace") from exc
            return _both(AzureBackend(workspace, **kw), lambda cls: cls.beside(workspace, **kw))
        if not config and target.get("subscription_id"):
            names = (target["subscription_id"], target["resource_group"], target["workspace_name"])
            v1 = AzureBackend.from_names(*names, **kw)
        else:
            v1 = AzureBackend.from_config(config, **kw)
        # the online endpoints of the same workspace: the same sign-in and cloud as azureml-core's
        return _both(v1, lambda cls: cls.beside(v1.workspace, **kw))
    if kind == "none":
        raise UsageProblem(no_workspace_message())
    raise UsageProblem(
        "this session has no workspace (it diagnoses a log): run %aml_troubleshoot --workspace config.json "
        "or --workshop"
    )


def v2_installed() -> bool:
    """Whether azure-ai-ml (the ``amlwizard[v2]`` extra) is installed: without it, only SDK v1 services."""
    import importlib.util

    try:
        return importlib.util.find_spec("azure.ai.ml") is not None
    except (ImportError, ValueError):
        return False


def _both(v1: Backend, make_v2: Any) -> Backend:
    """The workspace through both SDKs (v1 services and v2 online endpoints side by side), or v1 alone when
    azure-ai-ml is not installed or its client cannot be made (listing then says nothing of endpoints).
    ``make_v2(V2Backend)`` makes the v2 side: the v2 backend is imported here only, once it is needed
    (not while a wizard is first drawn)."""
    if not v2_installed():
        return v1
    from .backends import CompositeBackend
    from .backends.v2 import V2Backend

    try:
        v2 = make_v2(V2Backend)
    except AmlWizardError:
        return v1
    return CompositeBackend(v1, v2)


def backend_in_use(backend: Backend) -> Backend:
    """``backend`` again, unless it was opened on a workshop that has stopped since: then the workshop
    running now (started again in this process), or a one-line ``UsageProblem`` saying it was stopped,
    at once, where its dead port would give a network hint after seconds of retries."""
    workshop = _WORKSHOP_OF.get(backend)
    if workshop is None or workshop.running:
        return backend
    from .workshop import current_workshop

    running = current_workshop()
    if running is None:
        raise UsageProblem(WORKSHOP_STOPPED)
    from .backends.azure import AzureBackend

    timeout = getattr(backend, "timeout_s", 30.0)
    again = _both(
        AzureBackend(running.workspace, timeout_s=timeout),
        lambda cls: cls(running.ml_client, timeout_s=timeout),
    )
    _WORKSHOP_OF[again] = running
    return again
