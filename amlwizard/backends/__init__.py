"""Backends: where services, logs and models come from (a real workspace, or the local machine)."""

from ._base import (
    AutoscaleSettings,
    Backend,
    ModelInfo,
    ServiceDetails,
    ServiceKeys,
    ServiceLogs,
    ServiceSummary,
)

__all__ = [
    "AutoscaleSettings",
    "Backend",
    "ModelInfo",
    "ServiceDetails",
    "ServiceKeys",
    "ServiceLogs",
    "ServiceSummary",
]
