"""A local Azure ML control plane (HTTPS, 127.0.0.1) serving the workshop scenarios to the real SDK clients.

A server only: it knows the scenarios and the wire protocol, nothing of its clients. ``amlwizard.workshop``
starts one in a process and attaches the SDK to it. Public API::

    Emulator(scenarios=None, port=0, scoring=None, speed=1.0)
        # the bare server: .start() .stop() .url .add_fault() .fault() .close_port() .reopen_port() .calls
        # .ca.bundle_path; credentials: .issue_token() .msi_secret; scoring: .scoring_state(name)
        # .reset_scoring(speed) .speed. ``scoring(scenario)`` starts a scoring server (amlwizard.workshop
        # injects the real one); ``speed``: how much faster than AKS replicas start and scale down.
"""

from __future__ import annotations

from ._server import Emulator, Fault

__all__ = ["Emulator", "Fault"]
