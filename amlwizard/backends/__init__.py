"""Backends: where services, logs and models come from (a real workspace, or the local machine).

``azure.AzureBackend`` (SDK v1), ``v2.V2Backend`` (SDK v2 online endpoints), ``CompositeBackend`` (both side
by side) and ``capture`` (the error of a v2 create/update) are imported from their modules: each SDK loads
only when used.
"""

from ._base import (
    AutoscaleSettings,
    Backend,
    EndpointSummary,
    ModelInfo,
    ServiceDetails,
    ServiceKeys,
    ServiceLogs,
    ServiceSummary,
)
from ._composite import CompositeBackend

__all__ = [
    "AutoscaleSettings",
    "Backend",
    "CompositeBackend",
    "EndpointSummary",
    "ModelInfo",
    "ServiceDetails",
    "ServiceKeys",
    "ServiceLogs",
    "ServiceSummary",
]
