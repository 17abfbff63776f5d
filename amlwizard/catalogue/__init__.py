"""The failure catalogue: every deployment failure amlwizard can name, with its remedies.

``ENTRIES`` is an explicit, ordered registry (the guide's ten failures first, then the ones beyond
it); ``get(id)`` looks one up. ``python -m amlwizard.catalogue --markdown`` renders docs/catalogue.md.
"""

from __future__ import annotations

from . import _access, _build, _guide, _guide_run, _placement, _runtime, _startup
from ._entry import Entry

__all__ = ["ENTRIES", "Entry", "get", "ids", "to_markdown"]

# An explicit list, not a directory scan: adding an entry means adding it here (see docs/diagnose.md).
ENTRIES: tuple[Entry, ...] = (
    # the ten failures of the guide, in its order
    _guide.SCHEDULE_INSUFFICIENT_RESOURCES,
    _guide.SERVICE_LAUNCH_CRASHLOOP,
    _guide.MODEL_PATH_NOT_FOUND,
    _guide_run.RUN_FAILURE,
    _guide_run.HTTP_502,
    _guide_run.HTTP_503,
    _guide_run.HTTP_504,
    _guide.IMAGE_BUILD_FAILURE,
    _guide.OUT_OF_MEMORY,
    _guide.FPGA_QUOTA,
    # beyond the guide: scheduling and start-up
    _placement.POD_UNSCHEDULABLE,
    _placement.AKS_INSUFFICIENT_COMPUTE,
    _placement.ACI_RESOURCES_UNAVAILABLE,
    _startup.INIT_IMPORT_ERROR,
    _startup.SERVING_STACK_MISSING,
    _startup.ACI_CONTAINER_CRASHED,
    _startup.CONTAINER_EXIT_CODE,
    _startup.MODEL_FILE_MISSING,
    _placement.IMAGE_PULL_FAILURE,
    _placement.DEPLOYMENT_TIMED_OUT,
    _startup.ENTRY_SCRIPT_NOT_FOUND,
    # beyond the guide: image build and quota
    _build.CONDA_RESOLVE_FAILURE,
    _build.PIP_NO_MATCHING_VERSION,
    _build.REGIONAL_QUOTA_EXCEEDED,
    # beyond the guide: run time
    _runtime.CONTAINER_OOM_KILLED,
    _runtime.WORKER_RESTART_LOOP,
    _runtime.GUNICORN_WORKER_TIMEOUT,
    _runtime.SCORING_TIMEOUT,
    _runtime.CLIENT_TIMEOUT,
    _runtime.SERVICE_OVERLOADED,
    _runtime.NO_READY_REPLICAS,
    _runtime.REPLICA_CLOSED_CONNECTION,
    # beyond the guide: identity and workspace
    _access.HTTP_401_403,
    _access.AUTHORIZATION_FAILED,
    _access.SERVICE_PRINCIPAL_NOT_FOUND,
    _access.WORKSPACE_NOT_FOUND,
    _access.MODEL_NOT_REGISTERED,
    _access.COMPUTE_TARGET_NOT_FOUND,
    _access.WEBSERVICE_NOT_FOUND,
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


def to_markdown() -> str:
    """The catalogue as the Markdown page committed as docs/catalogue.md."""
    from ._markdown import render_markdown

    return render_markdown(ENTRIES)
