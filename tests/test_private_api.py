"""The private parts of azureml-core and azureml-inference-server-http that amlwizard relies on are still there.

amlwizard patches or calls a few names that are not public API (pyproject.toml caps both packages for that
reason). An upgrade that moves one must fail here, naming the name, its module and the amlwizard code that
uses it, rather than as a confusing error deep inside the emulator or a local deployment.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from typing import Any

import pytest


def _params(func: Any) -> list[str]:
    return list(inspect.signature(func).parameters)


def _clouds_is_a_dict_of_clouds(clouds_cls: Any) -> str | None:
    # emulator/_client.py: get_cloud_or_default("AzureCloud") fills _clouds without network; we add our cloud to it
    if not hasattr(clouds_cls, "_clouds"):
        return "has no class attribute _clouds"
    if _params(clouds_cls.get_cloud_or_default) != ["cloud_name"]:
        return f"get_cloud_or_default{inspect.signature(clouds_cls.get_cloud_or_default)} != (cloud_name)"
    clouds_cls.get_cloud_or_default("AzureCloud")
    if not isinstance(clouds_cls._clouds, dict) or "AzureCloud" not in clouds_cls._clouds:
        return (
            f"_clouds is {type(clouds_cls._clouds).__name__} without 'AzureCloud' after get_cloud_or_default"
        )
    return None


def _discovery_default_is_the_cache_file(cls: Any) -> str | None:
    # emulator/_client.py replaces __init__.__defaults__ with (our discovery file,)
    init = cls.__init__
    if _params(init) != ["self", "auth", "file_path"]:
        return f"__init__{inspect.signature(init)} != (self, auth, file_path=...)"
    defaults = init.__defaults__
    if not (isinstance(defaults, tuple) and len(defaults) == 1 and str(defaults[0]).endswith(".discovery")):
        return f"__init__.__defaults__ is {defaults!r}, not the one path of the discovery cache"
    return None


def _run_reads_default_host(module: Any) -> str | None:
    # backends/_loopback_server.py sets amlserver.DEFAULT_HOST; amlserver.run() must read it as a global
    if not isinstance(getattr(module, "DEFAULT_HOST", None), str):
        return "DEFAULT_HOST is not a str attribute of the module"
    if "DEFAULT_HOST" not in module.run.__code__.co_names:
        return "run() no longer reads the module's DEFAULT_HOST: the server would bind where it likes"
    return None


def _method(*params: str) -> Callable[[Any], str | None]:
    def check(func: Any) -> str | None:
        if not callable(func):
            return f"is a {type(func).__name__}, not callable"
        if _params(func) != list(params):
            return f"signature {inspect.signature(func)} != ({', '.join(params)})"
        return None

    return check


# (module, attribute path, what amlwizard does with it, the check of its kind/signature)
PRIVATE: list[tuple[str, str, str, Callable[[Any], str | None]]] = [
    (
        "azureml._vendor.azure_cli_core.azureml_cloud",
        "_Clouds",
        "amlwizard/emulator/_client.py adds the emulator's cloud to _Clouds._clouds",
        _clouds_is_a_dict_of_clouds,
    ),
    (
        "azureml._vendor.azure_cli_core.cloud",
        "_arm_to_cli_mapper",
        "amlwizard/emulator/_client.py builds the emulator's cloud from ARM metadata",
        _method("arm_dict"),
    ),
    (
        "azureml._base_sdk_common.service_discovery",
        "CachedServiceDiscovery",
        "amlwizard/emulator/_client.py points the discovery cache at the emulator's folder",
        _discovery_default_is_the_cache_file,
    ),
    (
        "azureml.core.model",
        "Model._get_asset",
        "amlwizard/backends/azure.py lists a model's files",
        _method("self"),
    ),
    (
        "azureml.core.model",
        "Model._get_sas_to_relative_download_path_map",
        "amlwizard/backends/azure.py lists a model's files",
        _method("self", "asset"),
    ),
    (
        "azureml_inference_server_http.amlserver",
        "DEFAULT_HOST",
        "amlwizard/backends/_loopback_server.py binds azmlinfsrv to 127.0.0.1 through it",
        lambda _: None,
    ),
    (
        "azureml_inference_server_http.amlserver",
        "run",
        "amlwizard/backends/_loopback_server.py sets DEFAULT_HOST, then calls run()",
        lambda _: _run_reads_default_host(importlib.import_module("azureml_inference_server_http.amlserver")),
    ),
]


@pytest.mark.parametrize(
    ("module", "name", "use", "check"), PRIVATE, ids=[f"{m}:{n}" for m, n, _, _ in PRIVATE]
)
def test_a_private_name_amlwizard_relies_on_is_still_there(module, name, use, check):
    where = f"{name} in {module}"
    try:
        obj: Any = importlib.import_module(module)
    except ImportError as err:
        pytest.fail(
            f"module {module} is gone ({err}); {use}: adapt it, or keep the version cap in pyproject.toml"
        )
    for part in name.split("."):
        if not hasattr(obj, part):
            pytest.fail(f"{where} is gone; {use}: adapt it, or keep the version cap in pyproject.toml")
        obj = getattr(obj, part)
    problem = check(obj)
    assert problem is None, f"{where} changed: {problem}; {use}"
