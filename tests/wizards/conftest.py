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


@pytest.fixture
def busy(workshop):
    """busy(scenario): as many other callers as a v2 endpoint's front end takes are in flight (its run() is
    slow) when the test's own call is made: a 429 needs a burst, one caller alone is served."""
    import contextlib
    import threading
    import time

    import requests

    @contextlib.contextmanager
    def hold(scenario):
        ml = workshop.ml_client
        uri = ml.online_endpoints.get(scenario.name).scoring_uri
        key = ml.online_endpoints.get_keys(scenario.name).primary_key
        body = (scenario.app_dir / "sample-request.json").read_bytes()
        post = lambda: requests.post(uri, data=body, headers={"Authorization": f"Bearer {key}"}, timeout=60)  # noqa: E731
        ceiling = workshop.scoring_state(scenario.name)["limit"]  # 2 x max_concurrent x instance_count
        callers = [threading.Thread(target=post, daemon=True) for _ in range(ceiling)]
        for thread in callers:
            thread.start()
        while workshop.scoring_state(scenario.name)["in_flight"] < ceiling:  # each holds its slot 1.5 s+
            time.sleep(0.01)
        try:
            yield
        finally:
            for thread in callers:
                thread.join(60)

    return hold
