"""Each catalogue entry says what to do in the SDK the failing deployment uses: an entry whose remedies name
SDK v1 APIs carries its own SDK v2 remedies, and a finding on an online deployment shows those."""

from __future__ import annotations

import re

import pytest

from amlwizard._finding import FAMILIES
from amlwizard.catalogue import ENTRIES, family_info, v2_advice
from amlwizard.diagnosis import diagnose

# what only SDK v1 (azureml-core, CLI v1) has: an online deployment's user cannot do it
V1_ONLY = re.compile(
    r"\bWebservice\b|AksWebservice|AciWebservice|LocalWebservice|deploy_configuration|az ml service"
    r"|get_model_path\(|Model\.(list|register|deploy)\(ws|Model\(ws|\bws\.|CondaDependencies|build_local"
    r"|InferenceConfig|ServicePrincipalAuthentication|service\.(get_keys|get_token|update|state|swagger_uri)"
    r"|scoring_timeout_ms|memory_gb|autoscale_(min|max|target)|get_logs\(\)"
)
V2_COMPUTES = {"v2", "Managed", "Kubernetes"}


def _v1_worded(remedies: tuple[str, ...]) -> list[str]:
    return [r for r in remedies if V1_ONLY.search(r)]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_an_entry_that_can_happen_on_v2_has_v2_remedies_when_its_own_are_v1(entry):
    v1_only = bool(entry.applies_to) and not set(entry.applies_to) & V2_COMPUTES
    if _v1_worded(entry.remedies) and not v1_only:
        assert entry.remedies_v2, f"{entry.id}: remedies name SDK v1 APIs and no remedies_v2"
    assert _v1_worded(entry.remedies_v2) == []


@pytest.mark.parametrize("family", FAMILIES)
def test_a_family_finding_on_v2_never_names_v1_apis(family):
    info = family_info(family)
    shown = v2_advice(f"family:{family}", family)
    assert _v1_worded(shown[0] if shown else info.remedies) == [], family


def test_the_same_text_gets_each_sdks_remedies_from_the_entry_itself():
    text = "Response Code: 504\nContent: b'upstream request timeout'"
    v1 = diagnose(text, context={"sdk": "v1", "compute_type": "AKS"}).findings[0]
    v2 = diagnose(text, context={"sdk": "v2", "compute_type": "Managed"}).findings[0]
    assert v1.id == v2.id == "http-504"
    assert "AksWebservice.deploy_configuration(scoring_timeout_ms" in " ".join(v1.remedies)
    assert "OnlineRequestSettings(request_timeout_ms" in " ".join(v2.remedies)
    assert "azureml-api-2" in v2.doc_url
