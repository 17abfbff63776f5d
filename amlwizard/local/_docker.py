"""Is there a Docker engine to run the SDK's ``LocalWebservice``? Probe it, then choose the engine.

The probe is injectable so the choice can be tested where no engine runs (this project's CI).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "local_endpoint_code",
    "DockerProbe",
    "LocalEngineChoice",
    "probe_docker",
    "choose_local_engine",
    "local_webservice_code",
]


@dataclass(frozen=True)
class DockerProbe:
    """What ``docker version`` said: ``client`` = the CLI exists, ``engine`` = a daemon answered."""

    client: bool
    engine: bool
    detail: str = ""


@dataclass(frozen=True)
class LocalEngineChoice:
    """``engine`` is "inference-server"; ``message`` says why, in plain words, and whether Docker's
    ``LocalWebservice`` could also run here (``docker_available``)."""

    engine: str
    message: str
    docker_available: bool


def probe_docker(timeout: float = 3.0) -> DockerProbe:
    """Ask the Docker CLI for the server version (a bounded call, never a hang)."""
    cli = shutil.which("docker")
    if not cli:
        return DockerProbe(client=False, engine=False, detail="no docker command on PATH")
    try:
        out = subprocess.run(  # noqa: S603
            [cli, "version", "--format", "{{.Server.Version}}"],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "DOCKER_CLI_HINTS": "false"},
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        return DockerProbe(client=True, engine=False, detail=f"docker did not answer: {err}")
    if out.returncode == 0 and out.stdout.strip():
        return DockerProbe(client=True, engine=True, detail=f"Docker engine {out.stdout.strip()}")
    last = (out.stderr.strip().splitlines() or ["no engine answered"])[-1]
    return DockerProbe(client=True, engine=False, detail=last)


def choose_local_engine(probe: DockerProbe | None = None) -> LocalEngineChoice:
    """How to deploy locally: always the Azure ML inference server, which starts in about a second and
    runs the same server the image runs. Where a Docker engine answers, the choice says so and the
    wizard shows the SDK's ``LocalWebservice`` code (``local_webservice_code``) to also test the image
    build; amlwizard does not run it itself (no engine answers on the machines that test it).
    """
    probe = probe if probe is not None else probe_docker()
    if probe.engine:
        return LocalEngineChoice(
            "inference-server",
            f"{probe.detail} answers: LocalWebservice is available to also test the image build; "
            "using the Azure ML inference server for a fast start.",
            True,
        )
    why = (
        "the docker command is installed but no Docker engine answers"
        if probe.client
        else "Docker is not installed"
    )
    return LocalEngineChoice(
        "inference-server",
        f"No Docker here ({why}): LocalWebservice cannot run, so the scoring script runs in the Azure ML "
        "inference server (azmlinfsrv), the same server the image uses.",
        False,
    )


def local_webservice_code(service: str, model: str, score: str, conda_file: str, port: int = 6789) -> str:
    """The SDK v1 code of a Docker local deployment (``LocalWebservice``), to paste where Docker runs."""
    return (
        "from azureml.core import Environment, Workspace\n"
        "from azureml.core.model import InferenceConfig, Model\n"
        "from azureml.core.webservice import LocalWebservice\n\n"
        "ws = Workspace.from_config()\n"
        f"env = Environment.from_conda_specification(name='{service}-env', file_path={conda_file!r})\n"
        f"inference_config = InferenceConfig(entry_script={score!r}, environment=env)\n"
        f"deployment_config = LocalWebservice.deploy_configuration(port={port})\n"
        f"models = [Model(ws, {model!r})]\n"
        f"service = Model.deploy(ws, {service!r}, models, inference_config, deployment_config)\n"
        "service.wait_for_deployment(show_output=True)\n"
        "print(service.get_logs())\n"
    )


def local_endpoint_code(endpoint: str, deployment: str, model_files: str, score: str, conda_file: str) -> str:
    """The SDK v2 code of a Docker local endpoint (``local=True``), to paste where Docker runs: the same
    deployment in the image azure-ai-ml builds (it needs the ``docker`` package and a Docker engine)."""
    folder, script = str(Path(score).parent), Path(score).name
    return (
        "from azure.ai.ml import MLClient\n"
        "from azure.ai.ml.entities import (\n    CodeConfiguration, Environment, ManagedOnlineDeployment, "
        "ManagedOnlineEndpoint, Model,\n)\nfrom azure.identity import DefaultAzureCredential\n\n"
        "ml_client = MLClient.from_config(DefaultAzureCredential())\n"
        "ml_client.online_endpoints.begin_create_or_update(\n"
        f"    ManagedOnlineEndpoint(name={endpoint!r}), local=True\n)\n"
        f"deployment = ManagedOnlineDeployment(\n    name={deployment!r}, endpoint_name={endpoint!r},\n"
        f"    model=Model(path={model_files!r}),\n"
        f"    code_configuration=CodeConfiguration(code={folder!r}, scoring_script={script!r}),\n"
        "    environment=Environment(conda_file="
        f"{conda_file!r}, image='mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04'),\n"
        "    instance_type='Standard_DS3_v2', instance_count=1,\n)\n"
        "ml_client.online_deployments.begin_create_or_update(deployment, local=True)\n"
        f"print(ml_client.online_deployments.get_logs({deployment!r}, {endpoint!r}, lines=100, local=True))\n"
    )
