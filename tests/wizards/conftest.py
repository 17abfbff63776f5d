"""Fixtures of the wizard tests: one workshop emulator for the whole run, sessions cleaned up."""

from __future__ import annotations

import pytest

from amlwizard.scenarios import load_scenario, scenario_names
from amlwizard.session import TroubleshootSession
from amlwizard.wizards import open_wizards

SCENARIOS = scenario_names("v1")  # SDK v1 web services
V2_SCENARIOS = scenario_names("v2")  # SDK v2 online deployments (endpoint/deployment)


@pytest.fixture(scope="session")
def workshop(workshop_emulator):
    """The suite's one workshop emulator (tests/conftest.py): the process's only one, so every session the
    wizards make uses it."""
    return workshop_emulator


@pytest.fixture
def open_wizard(workshop):
    """open_wizard(scenario, wizard, threaded=False) -> the wizard; its host is closed after the test."""
    hosts = []

    def make(scenario: str, wizard: str = "triage", *, threaded: bool = False, **target):
        session = TroubleshootSession(
            {"kind": "workshop", "service": scenario, "scenario": scenario, **target}, timeout=60
        )
        host = open_wizards(session, wizard, threaded=threaded)
        hosts.append(host)
        host.wait(60)
        return host.current

    yield make
    for host in hosts:
        host.close()


@pytest.fixture(params=SCENARIOS)
def scenario(request):
    return load_scenario(request.param)


@pytest.fixture(params=V2_SCENARIOS)
def v2_scenario(request):
    return load_scenario(request.param)
