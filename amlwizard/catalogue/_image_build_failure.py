# ruff: noqa: E501 - example log lines are kept whole, as real logs print them
"""Family ``image-build-failure``: The Docker image of the environment does not build: conda or pip cannot resolve it.

One module a family (the module is named after it); the guide's own entry, when the family has one, comes
first. Ids, steps and remedies follow "Troubleshooting remote model deployment"; explanations are our own.
"""

from __future__ import annotations

from . import _facts
from ._entry import DOC_REMOTE, EXAMPLE_ACR_TS, Entry

__all__ = [
    "IMAGE_BUILD_FAILURE",
    "CONDA_RESOLVE_FAILURE",
    "PIP_NO_MATCHING_VERSION",
    "PIP_RESOLUTION_FAILURE",
    "DOCKER_BUILD_STEP_FAILED",
]


IMAGE_BUILD_FAILURE = Entry(
    id="image-build-failure",
    family="image-build-failure",
    title="The Docker image for the service failed to build",
    step=2,
    anchors=(
        "Docker build failed",
        "Docker Build Failed",
        "Docker image build failed",
        "EnvironmentBuildFailed",
        "ImageBuildFailure",
        "Failed building the Environment",
        "Image build failed",
        "Image creation failed",
        "Environment Image",
        "Container failed during run: acb_step",
    ),
    pattern=r"Docker (image )?build failed|Docker Build Failed|EnvironmentBuildFailed|ImageBuildFailure"
    r"|Failed building the Environment|Image build failed|Image creation failed"
    r"|waiting for Environment Image to become available|Container failed during run: acb_step_[0-9]",
    explanation=(
        "Azure ML builds a Docker image from the environment (conda file, pip packages, base image) "
        "before the first deployment of that environment, and the build stopped. Nearly always a "
        "dependency problem: a package version that does not exist for that Python, or conflicting pins. "
        "The build log (linked in the error, in the workspace's blob store) has the exact line."
    ),
    remedies=(
        "Open the build log named in the error (azureml/ImageLogs/<id>/build.log) and find the first "
        "error line; run `amlwizard diagnose build.log` on it.",
        "Fix the conda file of the environment: pin versions that exist for the environment's Python; "
        "the guide's known fix for one build failure is adding pynacl==1.2.1 as a pip dependency.",
        "Build the same environment locally to iterate faster: env.build_local(ws) or "
        "`docker build` on env.save_to_directory(...).",
    ),
    remedies_v2=(
        "Read the build log the ImageBuildFailure message links to (/azureml/ImageLogs/<id>/build.log in the workspace's storage); run `amlwizard diagnose build.log` on it.",
        "Check the environment: Environment(image=..., conda_file=...) must build; pin versions that exist, and give the build compute access to the registry in a private network.",
        "Build the same environment locally to iterate faster: `conda env create -f conda.yml` on the environment's base image.",
    ),
    doc_url=f"{DOC_REMOTE}#other-error-messages",
    examples=(
        'Image creation operation finished for image churn-img:3, operation "Failed"\nImage creation '
        "failed with\nStatusCode: 400\nMessage: Docker image build failed.",
        '  "code": "EnvironmentBuildFailed",\n  "statusCode": 400,\n  "message": "Failed building the '
        'Environment. You can try debugging locally first."',
        # github.com/Azure/MachineLearningNotebooks (Image.create in SDK v1)
        'Creating image\nImage creation operation finished for image acirandomname:1, operation "Failed"\n'
        "Image creation failed with StatusCode: 400\nMessage: Docker Build Failed",
        # github.com/Azure/azureml-examples (v2: the deployment waited for its environment's image)
        "Message: ResourceNotFound: Deployment failed due to timeout while waiting for Environment Image to "
        "become available.",
        # github.com/Azure/MachineLearningNotebooks (the registry's build task that builds the image)
        "Container failed during run: acb_step_0. No retries remaining.\nfailed to run step ID: acb_step_0: exit status 1",
    ),
    near_misses=(
        'Image creation operation finished for image churn-img:3, operation "Succeeded"',
        "2026/11/25 09:14:07 Successfully pushed image: 9b987bd5.azurecr.io/azureml/azureml_54be50da6f33",
    ),
    confidence=0.65,
)


CONDA_RESOLVE_FAILURE = Entry(
    id="conda-resolve-failure",
    family="image-build-failure",
    title="Conda could not resolve the environment's packages during the image build",
    step=2,
    anchors=(
        "ResolvePackageNotFound",
        "UnsatisfiableError",
        "PackagesNotFoundError",
        "CondaValueError",
        "CondaEnvException",
    ),
    pattern=r"ResolvePackageNotFound|UnsatisfiableError|PackagesNotFoundError|CondaValueError|CondaEnvException",
    explanation=(
        "While building the image, conda could not find some packages of the conda file, or found no "
        "set of versions that satisfies all the pins together. The lines after the error list the "
        "packages: usually a version that does not exist on the channel for this Python, or a "
        "platform-specific build string copied from `conda env export`."
    ),
    remedies=(
        "Fix the listed packages in the conda file: remove build strings (=py38h1234_0), pin only "
        "versions that exist on the channels you list (conda search <pkg>).",
        "Move pure-Python packages to the pip section; keep the conda section small.",
        "Rebuild locally to check: conda env create -f conda.yml (or env.build_local(ws)).",
    ),
    remedies_v2=(
        "Fix the listed packages in the conda file: remove build strings (=py38h1234_0), pin only versions that exist on the channels you list (conda search <pkg>).",
        "Move pure-Python packages to the pip section; keep the conda section small.",
        "Rebuild locally to check: conda env create -f conda.yml.",
    ),
    doc_url=f"{DOC_REMOTE}#other-error-messages",
    examples=(
        f"{EXAMPLE_ACR_TS} Collecting package metadata (repodata.json): ...working... done\n"
        "Solving environment: ...working... failed\n\nResolvePackageNotFound: \n"
        "  - scikit-learn==0.19.9\n  - python==3.6.2.1\n",
        "UnsatisfiableError: The following specifications were found to be incompatible with each other:",
        # github.com/Azure/MachineLearningNotebooks (image build log)
        "CondaValueError: pip returned an error",
    ),
    near_misses=(
        "Solving environment: ...working... done",
        "## Package Plan ##\n  environment location: /azureml-envs/azureml_5f3c",
    ),
    confidence=0.9,
    facts=_facts.conda_packages,
    lines_after=12,
)


PIP_NO_MATCHING_VERSION = Entry(
    id="pip-no-matching-version",
    family="image-build-failure",
    title="pip found no version of a package that satisfies the requirement",
    step=2,
    anchors=("Could not find a version that satisfies", "No matching distribution found for"),
    pattern=r"Could not find a version that satisfies the requirement|No matching distribution found for",
    explanation=(
        "pip, installing the pip section of the conda file during the image build, found no release of "
        "a package matching the pin for this Python version and platform (or the name is misspelt, or "
        "the package index is not reachable from the build)."
    ),
    remedies=(
        "Check the name and the pinned version on PyPI for the environment's Python version; pin one "
        "that exists (pip index versions <pkg>).",
        "If the package comes from a private feed, add its --extra-index-url to the pip section.",
    ),
    doc_url=f"{DOC_REMOTE}#other-error-messages",
    examples=(
        "ERROR: Could not find a version that satisfies the requirement sanic~=21.6.0 (from "
        "azureml-inference-server-http~=0.4.1->azureml-defaults) (from versions: 0.1.0, 20.12.3)",
        "ERROR: No matching distribution found for dotnetcore2>=2.1.9",
    ),
    near_misses=(
        "Requirement already satisfied: numpy>=1.23 in /azureml-envs/azureml_5f3c/lib/python3.8/site-packages",
        "Successfully installed azureml-defaults-1.61.0",
    ),
    confidence=0.9,
    facts=_facts.pip_requirement,
)


PIP_RESOLUTION_FAILURE = Entry(
    id="pip-resolution-failure",
    family="image-build-failure",
    title="pip could not install the environment's packages together (conflict or wrong Python)",
    step=2,
    anchors=("Pip subprocess error", "ResolutionImpossible", "requires a different Python"),
    pattern=r"Pip subprocess error|ResolutionImpossible|requires a different Python",
    explanation=(
        "While the environment's image was built, pip found packages whose versions cannot be installed "
        "together (two pins that conflict), or a package that needs another Python version than the "
        "environment's. The image is not built, so nothing is deployed."
    ),
    remedies=(
        "Read the build log's pip error: it names the two requirements that conflict; loosen or align "
        "their pins (often azureml-* packages pinned to different versions).",
        "Match the Python version in the conda file to what the packages need (python=3.10, ...).",
        "Build the environment locally first: `conda env create -f conda.yml` shows the same error fast.",
    ),
    doc_url=f"{DOC_REMOTE}#docker-image-build-fails",
    examples=(
        # github.com/Azure/MachineLearningNotebooks and github.com/Azure/azureml-examples (image builds)
        "Pip subprocess error:\nERROR: Cannot install -r /azureml-environment-setup/condaenv.oi9s838c."
        "requirements.txt (line 2) and azureml-sdk[contrib,notebooks]==1.32.0 because these package "
        "versions have conflicting dependencies.\nERROR: ResolutionImpossible: for help visit "
        "https://pip.pypa.io/en/latest/user_guide/#fixing-conflicting-dependencies",
        "Pip subprocess error:\nERROR: Package 'setuptools' requires a different Python: 3.7.13 not in '>=3.8'",
    ),
    near_misses=(
        "Successfully installed azureml-core-1.61.0 pip-24.0",
        "pip resolution took 12 s",
    ),
    confidence=0.9,
)


DOCKER_BUILD_STEP_FAILED = Entry(
    id="docker-build-step-failed",
    family="image-build-failure",
    title="A step of the Docker build failed (a RUN command, or a file missing from the build context)",
    step=3,
    anchors=("ERROR: failed to solve", "The command '/bin/sh -c"),
    pattern=r"ERROR: failed to solve: |The command '/bin/sh -c .{0,400}' returned a non-zero code",
    explanation=(
        "Docker (BuildKit or the classic builder) stopped building the environment's image: a file the "
        "Dockerfile copies is not in the build context (a path relative to the wrong folder), the "
        "Dockerfile itself is not where the environment says, or a RUN command exited non-zero."
    ),
    remedies=(
        "Read the image build log (the environment's build log in the studio, or the deployment's build "
        "log link) for the step that failed and the first error above it.",
        "Give dockerfile_path relative to the build context folder, and keep every COPY source inside it.",
        "Build the same context locally (`docker build <context>`) to reproduce it in minutes.",
    ),
    doc_url=f"{DOC_REMOTE}#other-error-messages",
    examples=(
        # written here in the shapes BuildKit and the classic builder print (not users' posts; the
        # corpus, tests/data/real-errors, holds the real ones this entry was made for)
        'ERROR: failed to solve: failed to compute cache key: "/requirements.txt" not found: not found',
        'ERROR: failed to solve: process "/bin/sh -c pip install -r requirements.txt" did not complete '
        "successfully: exit code: 1",
        "The command '/bin/sh -c apt-get update && apt-get install -y libgomp1' returned a non-zero code: 100",
    ),
    near_misses=(
        "#8 DONE 12.4s",
        "Successfully built 3f5c2a9b8d1e",
    ),
    confidence=0.8,
)
