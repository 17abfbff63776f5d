"""The exceptions amlwizard raises for things a user can fix.

Every message is one line that says what is wrong and what to try next; the CLI prints it and
exits 2, the magic raises it as an IPython ``UsageError``, the wizards show it in their error area.

    AmlWizardError                 anything a user can fix, shown without a traceback
     +-- UsageProblem              bad argument, missing or unreadable file, malformed input
     +-- BackendError              the workspace, the network or the service said no
          +-- NotFoundError        workspace / service / model not found (names what exists)
          +-- AuthError            401 / 403: who to ask for which role
          +-- UnreachableError     5xx after retries, connection refused, timed out
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._finding import Finding

__all__ = [
    "AmlWizardError",
    "UsageProblem",
    "BackendError",
    "NotFoundError",
    "AuthError",
    "UnreachableError",
]


class AmlWizardError(Exception):
    """A problem the user can fix; ``str(err)`` is a one-line message with the next step."""


class UsageProblem(AmlWizardError):
    """A bad argument, a missing file, input that cannot be read."""


class BackendError(AmlWizardError):
    """The workspace or the network failed; ``finding`` is set when it is a diagnosable failure."""

    def __init__(self, message: str, finding: Finding | None = None) -> None:
        super().__init__(message)
        self.finding = finding


class NotFoundError(BackendError):
    """A workspace, service or model that does not exist."""


class AuthError(BackendError):
    """Authentication or authorization refused (HTTP 401 / 403)."""


class UnreachableError(BackendError):
    """Server errors after retries, refused connections, calls that timed out."""
