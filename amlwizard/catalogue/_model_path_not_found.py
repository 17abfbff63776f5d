# ruff: noqa: E501 - example log lines are kept whole, as real logs print them
"""Family ``model-path-not-found``: The model's files are not where the scoring script looks for them when init() loads it.

One module a family (the module is named after it); the guide's own entry, when the family has one, comes
first. Ids, steps and remedies follow "Troubleshooting remote model deployment"; explanations are our own.
"""

from __future__ import annotations

from . import _facts
from ._entry import DOC_REMOTE, EXAMPLE_TS, Entry

__all__ = ["MODEL_PATH_NOT_FOUND", "MODEL_FILE_MISSING"]


MODEL_PATH_NOT_FOUND = Entry(
    id="model-path-not-found",
    family="model-path-not-found",
    title="Model.get_model_path() cannot find the model in the container",
    step=5,
    anchors=(
        "ModelNotFoundException",
        "For more info, set logging level to DEBUG",
        "Expected model path does not exist",
    ),
    # azureml-core prints the "not found in cache" message and the DEBUG hint on one line; the pattern
    # asks for both so that it cannot match a line that lacks every anchor (the engine would skip it)
    pattern=r"ModelNotFoundException:|Model [^ {]+ not found in cache at .{0,400}For more info, set logging "
    r"level to DEBUG|Expected model path does not exist: [^{]",
    explanation=(
        "init() asked Model.get_model_path() for a model, and no file or folder by that name is where "
        "it looks: azureml-models/<name>/<version>/ under AML_APP_ROOT (/var/azureml-app in the "
        "container), then the working directory. Usually the name in score.py differs from the "
        "registered name (credit_model vs credit-model), or the model was not passed to Model.deploy()."
    ),
    remedies=(
        "Compare the name in score.py with the registered name: Model.list(ws) - names are exact "
        "(dash vs underscore, case).",
        "In the container (or locally with `amlwizard model-path`), run logging.basicConfig("
        "level=logging.DEBUG); print(Model.get_model_path(model_name='<name>')): the DEBUG lines show "
        "the folder it searched (relative to /var/azureml-app) and what is there.",
        "Pass the model to the deployment: Model.deploy(ws, name, models=[model], ...); or read files "
        "from os.environ['AZUREML_MODEL_DIR'] instead of calling get_model_path.",
    ),
    doc_url=f"{DOC_REMOTE}#function-fails-get_model_path",
    examples=(
        "azureml.exceptions._azureml_exception.ModelNotFoundException: ModelNotFoundException:\n"
        "\tMessage: Model credit_model not found in cache at /var/azureml-app/azureml-models or in "
        "current working directory /var/azureml-app. For more info, set logging level to DEBUG.",
        f"{EXAMPLE_TS} E [9] azureml.core.model - Model churn_model not found in cache at azureml-models or "
        "in current working directory /app. For more info, set logging level to DEBUG.",
    ),
    near_misses=(
        f"{EXAMPLE_TS} D [9] azureml.core.model - Found model path at "
        "/var/azureml-app/azureml-models/credit-model/1/model.json",
        "Model credit-model:1 registered with tags {'stage': 'prod'}",
    ),
    confidence=0.95,
    facts=_facts.model_not_found,
)


MODEL_FILE_MISSING = Entry(
    id="model-file-missing",
    family="model-path-not-found",
    title="A model file is missing under /var/azureml-app/azureml-models",
    step=5,
    anchors=("FileNotFoundError", "OSError"),
    pattern=r"(FileNotFoundError|OSError).*azureml-models/",
    explanation=(
        "The registered model was mounted, but the file score.py opens is not in it: the path inside "
        "the model folder differs from what was registered (a file registered alone lands directly "
        "under <name>/<version>/, a folder keeps its own name)."
    ),
    remedies=(
        "List what was registered: Model(ws, '<name>').get_model_path / `amlwizard model-path <name>` "
        "shows the exact layout under azureml-models/<name>/<version>/.",
        "Build the path from os.environ['AZUREML_MODEL_DIR'] plus the file name as registered.",
        "Re-register the model with the file layout the script expects (Model.register(model_path=...)).",
    ),
    doc_url=f"{DOC_REMOTE}#function-fails-get_model_path",
    examples=(
        "FileNotFoundError: [Errno 2] No such file or directory: "
        "'/var/azureml-app/azureml-models/credit-model/1/model.pkl'",
        "OSError: SavedModel file does not exist at: /var/azureml-app/azureml-models/resnet-classifier/2/"
        "saved_model/{saved_model.pbtxt|saved_model.pb}",
    ),
    near_misses=(
        f"{EXAMPLE_TS} I [12] azmlinfsrv - Model Directory Contents: /var/azureml-app/azureml-models/credit-model/1",
        "Loaded /var/azureml-app/azureml-models/credit-model/1/model.json (12 coefficients)",
    ),
    confidence=0.93,
    facts=_facts.model_file,
)
