"""Shared pytest fixtures. Each area appends its own section; keep sections small and separate."""

# ---------------------------------------------------------------------------------------------------------
# Azure side (emulator, AzureBackend, scenarios). azureml reads AZUREML_DEFAULT_500_BACKOFF when imported:
# zero makes its retries of HTTP 500 instant in tests. Set here, before any test module imports azureml.
import os as _os  # noqa: E402

import pytest as _pytest  # noqa: E402

_os.environ.setdefault("AZUREML_DEFAULT_500_BACKOFF", "0")


@_pytest.fixture(scope="session")
def workshop_emulator():
    """One workshop emulator (all scenarios) for the whole run: ``.workspace``, ``.backend``, ``.emulator``."""
    from amlwizard.workshop import start_workshop

    workshop = start_workshop()
    yield workshop
    workshop.stop()


@_pytest.fixture(scope="session")
def emulator(workshop_emulator):
    """The same running workshop (``emulator.emulator`` is the server: ``.fault()``, ``.close_port()``)."""
    return workshop_emulator
