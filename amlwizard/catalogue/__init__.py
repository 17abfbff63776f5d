"""The failure catalogue: every deployment failure amlwizard can name, with its remedies.

``ENTRIES`` is an explicit, ordered registry, grouped by family (one module a family, named after it:
``http-503`` entries live in ``_http_503.py``, the guide's own entry first); ``get(id)`` looks one up.
``python -m amlwizard.catalogue --markdown`` renders docs/catalogue.md.
"""

from __future__ import annotations

from . import (
    _auth_or_workspace,
    _fpga_quota,
    _http_502,
    _http_503,
    _http_504,
    _image_build_failure,
    _model_path_not_found,
    _other,
    _out_of_memory,
    _run_failure,
    _schedule_insufficient_resources,
    _service_launch_crashloop,
)
from ._entry import Entry
from ._families import FamilyInfo

__all__ = ["ENTRIES", "Entry", "FamilyInfo", "family_info", "get", "ids", "to_markdown", "v2_advice"]

# An explicit list, not a directory scan: adding an entry means adding it here (see docs/diagnose.md).
# Grouped by family, in the order of FAMILIES; a family's module is named after it.
ENTRIES: tuple[Entry, ...] = (
    # schedule-insufficient-resources
    _schedule_insufficient_resources.SCHEDULE_INSUFFICIENT_RESOURCES,
    _schedule_insufficient_resources.POD_UNSCHEDULABLE,
    _schedule_insufficient_resources.AKS_INSUFFICIENT_COMPUTE,
    _schedule_insufficient_resources.ACI_RESOURCES_UNAVAILABLE,
    _schedule_insufficient_resources.OUT_OF_QUOTA,
    # service-launch-crashloop
    _service_launch_crashloop.SERVICE_LAUNCH_CRASHLOOP,
    _service_launch_crashloop.INIT_IMPORT_ERROR,
    _service_launch_crashloop.SERVING_STACK_MISSING,
    _service_launch_crashloop.ACI_CONTAINER_CRASHED,
    _service_launch_crashloop.CONTAINER_EXIT_CODE,
    _service_launch_crashloop.RESOURCE_NOT_READY,
    _service_launch_crashloop.USER_SCRIPT_FAILED,
    _service_launch_crashloop.INIT_RAISED,
    _service_launch_crashloop.WORKER_RESTART_LOOP,
    # model-path-not-found
    _model_path_not_found.MODEL_PATH_NOT_FOUND,
    _model_path_not_found.MODEL_FILE_MISSING,
    _model_path_not_found.MODEL_DOWNLOAD_FAILURE,
    _model_path_not_found.FRAMEWORK_MODEL_FILE_MISSING,
    # run-failure
    _run_failure.RUN_FAILURE,
    _run_failure.RUN_INPUT_REJECTED,
    _run_failure.RUN_RAISED,
    # http-502
    _http_502.HTTP_502,
    _http_502.REPLICA_CLOSED_CONNECTION,
    _http_502.MODEL_ERROR_424,
    # http-503
    _http_503.HTTP_503,
    _http_503.SERVICE_OVERLOADED,
    _http_503.NO_READY_REPLICAS,
    _http_503.TOO_MANY_REQUESTS_429,
    # http-504
    _http_504.HTTP_504,
    _http_504.GUNICORN_WORKER_TIMEOUT,
    _http_504.SCORING_TIMEOUT,
    _http_504.CLIENT_TIMEOUT,
    _http_504.REQUEST_TIMEOUT_408,
    # image-build-failure
    _image_build_failure.IMAGE_BUILD_FAILURE,
    _image_build_failure.CONDA_RESOLVE_FAILURE,
    _image_build_failure.PIP_NO_MATCHING_VERSION,
    _image_build_failure.PIP_RESOLUTION_FAILURE,
    _image_build_failure.DOCKER_BUILD_STEP_FAILED,
    # out-of-memory
    _out_of_memory.OUT_OF_MEMORY,
    _out_of_memory.CONTAINER_OOM_KILLED,
    _out_of_memory.MEMORY_ERROR,
    # fpga-quota
    _fpga_quota.FPGA_QUOTA,
    # auth-or-workspace
    _auth_or_workspace.HTTP_401_403,
    _auth_or_workspace.AUTHORIZATION_FAILED,
    _auth_or_workspace.SERVICE_PRINCIPAL_NOT_FOUND,
    _auth_or_workspace.WORKSPACE_NOT_FOUND,
    _auth_or_workspace.MODEL_NOT_REGISTERED,
    _auth_or_workspace.COMPUTE_TARGET_NOT_FOUND,
    _auth_or_workspace.WEBSERVICE_NOT_FOUND,
    _auth_or_workspace.ACCESS_REFUSED,
    _auth_or_workspace.RESOURCE_NOT_FOUND,
    _auth_or_workspace.REGISTRY_ACCESS_DENIED,
    _auth_or_workspace.CREDENTIAL_TYPE_MISMATCH,
    # other
    _other.IMAGE_PULL_FAILURE,
    _other.DEPLOYMENT_TIMED_OUT,
    _other.ENTRY_SCRIPT_NOT_FOUND,
    _other.SERVICE_SIDE_ERROR,
    _other.CONFLICT_OR_IN_PROGRESS,
    _other.INVALID_DEPLOYMENT_SPEC,
    _other.CONNECTION_FAILED,
    _other.COMPUTE_NOT_SUCCEEDED,
    _other.LOCAL_TOOLING_MISSING,
    _other.KUBERNETES_EXTENSION_FAILED,
)

_BY_ID: dict[str, Entry] = {entry.id: entry for entry in ENTRIES}
if len(_BY_ID) != len(ENTRIES):  # pragma: no cover - caught by the catalogue tests
    raise RuntimeError("duplicate id in amlwizard.catalogue.ENTRIES")


def ids() -> list[str]:
    """Every entry id, in catalogue order."""
    return list(_BY_ID)


def get(entry_id: str) -> Entry:
    """The entry with this id; ``KeyError`` names the known ids when there is none."""
    try:
        return _BY_ID[entry_id]
    except KeyError:
        raise KeyError(f"no catalogue entry {entry_id!r}; known: {', '.join(_BY_ID)}") from None


def family_info(family: str) -> FamilyInfo:
    """What a family finding (tier 2) says: title, step, explanation, remedies, documentation."""
    from . import _families

    return _families.family_info(family, _BY_ID.get(family))


def v2_advice(finding_id: str, family: str) -> tuple[list[str], str] | None:
    """The remedies and documentation an SDK v2 deployment needs for this finding where its own name SDK v1
    APIs: the entry's ``remedies_v2`` (a family finding: its family's); None when its remedies fit both."""
    from ._entry import DOC_V2

    entry = _BY_ID.get(finding_id)
    remedies = entry.remedies_v2 if entry is not None else family_info(family).remedies_v2
    return (list(remedies), DOC_V2) if remedies else None


def to_markdown() -> str:
    """The catalogue as the Markdown page committed as docs/catalogue.md."""
    from ._markdown import render_markdown

    return render_markdown(ENTRIES)
