"""``CompositeBackend``: a workspace through both SDKs, v1 services and v2 online deployments side by side.

A name with a "/" (``endpoint/deployment``) is a v2 deployment; another name is a v1 service, or else a v2
endpoint of that name. Listing keeps the v1 rows when only the v2 side fails (no credential for azure-ai-ml,
no permission on online endpoints): ``partial`` says what was left out. A v1 failure is raised as it always
was.
"""

from __future__ import annotations

from pathlib import Path

from .._errors import BackendError, NotFoundError
from ._base import (
    Backend,
    EndpointSummary,
    ModelInfo,
    ServiceDetails,
    ServiceKeys,
    ServiceLogs,
    ServiceSummary,
)

__all__ = ["CompositeBackend"]


class CompositeBackend(Backend):
    """``v1`` (an ``AzureBackend``) and ``v2`` (a ``V2Backend``) of the same workspace; either may be None."""

    def __init__(self, v1: Backend | None, v2: Backend | None) -> None:
        if v1 is None and v2 is None:
            raise ValueError("CompositeBackend needs a v1 or a v2 backend")
        self.v1, self.v2 = v1, v2
        self.description = (v1 or v2).description  # type: ignore[union-attr]
        if v1 is not None and v2 is not None:
            self.description = f"{v1.description} (web services and online endpoints)"
        self.partial: list[str] = []  # one line per side that could not be listed last time

    @property
    def name(self) -> str:
        """The workspace's name."""
        return str(getattr(self.v1 or self.v2, "name", "?"))

    @property
    def timeout_s(self) -> float:
        return getattr(self.v1 or self.v2, "timeout_s", 30.0)

    def _side(self, name: str) -> Backend:
        if "/" in name or self.v1 is None:
            if self.v2 is None:
                raise NotFoundError(
                    f"{name!r} names an online deployment (SDK v2), but azure-ai-ml is not installed: "
                    "pip install 'amlwizard[v2]'"
                )
            return self.v2
        return self.v1

    def _either(self, name: str, call):  # noqa: ANN001 - a v1 name may be a v2 endpoint
        side = self._side(name)
        try:
            return call(side)
        except NotFoundError:
            if side is self.v1 and self.v2 is not None and _is_endpoint(self.v2, name):
                return call(self.v2)
            raise

    def list_services(self) -> list[ServiceSummary]:
        self.partial = []
        rows = self.v1.list_services() if self.v1 is not None else []
        if self.v2 is not None:
            try:
                rows += self.v2.list_services()
            except BackendError as err:
                if self.v1 is None:
                    raise
                self.partial.append(f"online endpoints (SDK v2): {err}")
        return sorted(rows, key=lambda r: r.created_time or "", reverse=True)

    def list_endpoints(self) -> list[EndpointSummary]:
        return self.v2.list_endpoints() if self.v2 is not None else []

    def get_service(self, name: str) -> ServiceDetails:
        return self._either(name, lambda side: side.get_service(name))

    def get_logs(self, name: str, *, init: bool = False, lines: int = 5000) -> ServiceLogs:
        return self._either(name, lambda side: side.get_logs(name, init=init, lines=lines))

    def get_keys(self, name: str) -> ServiceKeys:
        return self._either(name, lambda side: side.get_keys(name))

    def fetch_for_diagnosis(self, name: str, *, lines: int = 5000) -> tuple[ServiceDetails, dict[str, str]]:
        return self._either(name, lambda side: side.fetch_for_diagnosis(name, lines=lines))

    def get_model(self, name: str, version: int | None = None) -> ModelInfo:
        sides = [s for s in (self.v1, self.v2) if s is not None]
        for side in sides[:-1]:
            try:
                return side.get_model(name, version)
            except NotFoundError:
                continue
        return sides[-1].get_model(name, version)

    def download_model(self, name: str, version: int, target_dir: Path) -> Path:
        sides = [s for s in (self.v1, self.v2) if s is not None]
        for side in sides[:-1]:
            try:
                return side.download_model(name, version, target_dir)
            except NotFoundError:
                continue
        return sides[-1].download_model(name, version, target_dir)


def _is_endpoint(v2: Backend, name: str) -> bool:
    try:
        return any(e.name == name for e in v2.list_endpoints())
    except BackendError:
        return False
