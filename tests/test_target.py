"""Deciding what to troubleshoot from the options (magic and CLI alike), and opening that workspace."""

from __future__ import annotations

import pytest

from amlwizard._errors import UsageProblem
from amlwizard._target import open_backend, target_from_options
from amlwizard.scenarios import scenario_names


def test_a_config_json_written_by_the_emulator_opens_that_emulator(emulator):
    backend = open_backend({"kind": "azure", "config": str(emulator.config_path)})
    assert backend.name == "mlw-workshop" and "mlw-workshop" in backend.description
    assert len(backend.list_services()) == len(scenario_names())


def test_an_unreadable_config_json_is_one_line(tmp_path):
    bad = tmp_path / "config.json"
    bad.write_text("{not json")
    with pytest.raises(UsageProblem, match="cannot read workspace config"):
        open_backend({"kind": "azure", "config": str(bad)})


def test_options_that_contradict_or_miss_say_what_to_pass(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageProblem, match="--scenario needs --emulator"):
        target_from_options(scenario="aks-503-spike", workshop_flag="--emulator")
    with pytest.raises(UsageProblem, match="choose one of --workshop and --workspace"):
        target_from_options(workshop=True, workspace="config.json")
    with pytest.raises(UsageProblem, match="no Azure ML workspace config found.*--workshop"):
        target_from_options()
    with pytest.raises(UsageProblem, match="no workshop scenario 'nope'"):
        target_from_options(workshop=True, scenario="nope")


def test_the_workshop_scenario_and_a_config_found_in_a_parent_folder(tmp_path, monkeypatch):
    assert target_from_options(workshop=True, scenario="aks-503-spike") == {
        "kind": "workshop",
        "service": "aks-503-spike",
        "scenario": "aks-503-spike",
    }
    (tmp_path / ".azureml").mkdir()
    (tmp_path / ".azureml" / "config.json").write_text("{}")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert target_from_options(service="svc") == {
        "kind": "azure",
        "config": str(tmp_path / ".azureml" / "config.json"),
        "service": "svc",
    }
    assert target_from_options(text=True) == {"kind": "text"}
