# ruff: noqa: E501 - example log lines are kept whole, as real logs print them
"""Family ``model-path-not-found``: The model's files are not where the scoring script looks for them when init() loads it.

One module a family (the module is named after it); the guide's own entry, when the family has one, comes
first. Ids, steps and remedies follow "Troubleshooting remote model deployment"; explanations are our own.
"""

from __future__ import annotations

from . import _facts
from ._entry import DOC_REMOTE, DOC_V2, EXAMPLE_TS, Entry

__all__ = [
    "MODEL_PATH_NOT_FOUND",
    "MODEL_FILE_MISSING",
    "MODEL_DOWNLOAD_FAILURE",
    "FRAMEWORK_MODEL_FILE_MISSING",
]


MODEL_PATH_NOT_FOUND = Entry(
    id="model-path-not-found",
    family="model-path-not-found",
    title="Model.get_model_path() cannot find the model in the container",
    step=5,
    anchors=(
        "ModelNotFoundException",
        "For more info, set logging level to DEBUG",
        "Expected model path does not exist",
        "Model not found in cache or in root",
    ),
    # azureml-core prints the "not found in cache" message and the DEBUG hint on one line; the pattern
    # asks for both so that it cannot match a line that lacks every anchor (the engine would skip it)
    pattern=r"ModelNotFoundException:|Model [^ {]{1,300} not found in cache at .{0,400}For more info, set logging "
    r"level to DEBUG|Expected model path does not exist: [^{]|Model not found in cache or in root",
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
    remedies_v2=(
        "Read the model files under os.environ['AZUREML_MODEL_DIR'] (/var/azureml-app/azureml-models/<name>/<version>): Model.get_model_path is SDK v1 only.",
        "Keep the registered folder's nesting in the path: os.path.join(os.environ['AZUREML_MODEL_DIR'], '<folder>', 'model.pkl') (the Inspect model path wizard shows the layout).",
        "A model that does not download: read the storage-initializer log (get_logs(..., container_type='storage-initializer')) and check the deployment's identity can read the model's storage.",
    ),
    doc_url=f"{DOC_REMOTE}#function-fails-get_model_path",
    examples=(
        "azureml.exceptions._azureml_exception.ModelNotFoundException: ModelNotFoundException:\n"
        "\tMessage: Model credit_model not found in cache at /var/azureml-app/azureml-models or in "
        "current working directory /var/azureml-app. For more info, set logging level to DEBUG.",
        f"{EXAMPLE_TS} E [9] azureml.core.model - Model churn_model not found in cache at azureml-models or "
        "in current working directory /app. For more info, set logging level to DEBUG.",
        # github.com/Azure/MachineLearningNotebooks: what users saw from get_model_path in a deployed service
        "Model not found in cache or in root at ./diabetes-model",
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
    anchors=("FileNotFoundError", "OSError", "Errno 2] No such file or directory"),
    pattern=r"(FileNotFoundError|OSError).{0,300}azureml-models/"
    r"|Errno 2\] No such file or directory: .{0,5}/var/azureml-app/azureml-models/",
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
    remedies_v2=(
        "List what the container gets: the registered file or folder keeps its name under os.environ['AZUREML_MODEL_DIR'] (azureml-models/<name>/<version>/); `amlwizard model-path --model-dir <folder>` shows the layout.",
        "Build the path from os.environ['AZUREML_MODEL_DIR'] plus the names as registered (the folder's name too when a folder was registered).",
        "Register the model again with the layout the script expects: ml_client.models.create_or_update(Model(path=..., name=...)), and point the deployment at the new version.",
    ),
    doc_url=f"{DOC_REMOTE}#function-fails-get_model_path",
    examples=(
        "FileNotFoundError: [Errno 2] No such file or directory: "
        "'/var/azureml-app/azureml-models/credit-model/1/model.pkl'",
        "OSError: SavedModel file does not exist at: /var/azureml-app/azureml-models/resnet-classifier/2/"
        "saved_model/{saved_model.pbtxt|saved_model.pb}",
        # github.com/Azure/MachineLearningNotebooks
        "[Errno 2] No such file or directory: '/var/azureml-app/azureml-models/sklearn_creditcard_model/5/"
        "sklearn_creditcard_model.pkl'",
    ),
    near_misses=(
        f"{EXAMPLE_TS} I [12] azmlinfsrv - Model Directory Contents: /var/azureml-app/azureml-models/credit-model/1",
        "Loaded /var/azureml-app/azureml-models/credit-model/1/model.json (12 coefficients)",
    ),
    confidence=0.93,
    facts=_facts.model_file,
)


MODEL_DOWNLOAD_FAILURE = Entry(
    id="model-download-failure",
    family="model-path-not-found",
    title="The model's files could not be downloaded into the container (storage-initializer)",
    step=4,
    anchors=(
        "Unable to download user model",
        "BlobContainerNotFound",
        "StorageManifestError",
        "No files to download. Did you upload files",
        "Directory ",
    ),
    pattern=r"Unable to download user model|BlobContainerNotFound|StorageManifestError"
    r"|No files to download\. Did you upload files|Directory [^ ]{0,200}azureml-models is empty",
    explanation=(
        "Before the scoring container starts, its storage initializer (SDK v2; the model mount of the "
        "guide's step 4 in SDK v1) copies the registered model's files from the workspace's storage. "
        "The copy failed: the model's blob container or files are gone or were never uploaded, the "
        "deployment's identity may not read the storage, or (with a private network) storage is not "
        "reachable from the deployment."
    ),
    remedies=(
        "Read the storage initializer's log: ml_client.online_deployments.get_logs(name, endpoint_name, "
        "lines=100, container_type='storage-initializer') or `az ml online-deployment get-logs ... "
        "--container storage-initializer`.",
        "Check that the model version still has its files (Azure ML studio > Models > the version > "
        "Artifacts); register it again if they are missing.",
        "Give the endpoint's identity Storage Blob Data Reader on the workspace's storage account.",
    ),
    doc_url=f"{DOC_V2}#error-badargument",
    examples=(
        # github.com/Azure/azureml-examples (managed online endpoint)
        "Code: None Message: ResourceNotFound: Unable to download user model/code artifacts, storage blob "
        "container 675843ba-7a6a-49ef-9fab-813c9c16fbf1-6pa9h6dx2vzovs857h9chaic9e",
        # github.com/Azure/MachineLearningNotebooks (v1 model download)
        'I got "AzureMLException: No files to download. Did you upload files?" error.',
    ),
    near_misses=(
        "Downloading model sentiment:1 to /tmp/azureml_gl/sentiment/1",
        "Directory /var/azureml-app/azureml-models has 1 entry",
    ),
    confidence=0.9,
)


FRAMEWORK_MODEL_FILE_MISSING = Entry(
    id="framework-model-file-missing",
    family="model-path-not-found",
    title="The framework cannot find the model files it was told to load (TensorFlow, Keras, h5py, ONNX Runtime)",
    step=5,
    anchors=(
        "TensorSliceReader",
        "SavedModel file does not exist",
        "No file or directory found at",
        "Unable to open file",
        "NO_SUCHFILE",
    ),
    pattern=r"Unsuccessful TensorSliceReader constructor: Failed to find any matching files|NO_SUCHFILE : Load model from"
    r"|SavedModel file does not exist at|No file or directory found at"
    r"|Unable to open file \(unable to open file: name =",
    explanation=(
        "The model loader of the framework (tf.train checkpoints, tf.saved_model / keras load_model, ONNX Runtime, "
        "h5py) was given a path where nothing is: a relative path resolved against the container's "
        "working directory, or the layout under AZUREML_MODEL_DIR differs from what the script expects."
    ),
    remedies=(
        "Build the path from os.environ['AZUREML_MODEL_DIR'] (SDK v1: Model.get_model_path(name)) and the "
        "folder or file name as registered; print os.listdir of it in init() to see the layout.",
        "For a local endpoint or a local run, reference the registered model (azureml:<name>:<version>) or "
        "check that model.path points at the folder that holds the files.",
    ),
    remedies_v2=(
        "Build the path from os.environ['AZUREML_MODEL_DIR'] and the folder or file name as registered; print os.listdir of it in init() to see the layout.",
        "For a local endpoint or a local run, reference the registered model (azureml:<name>:<version>) or check that model.path points at the folder that holds the files.",
    ),
    doc_url=f"{DOC_REMOTE}#function-fails-get_model_path",
    examples=(
        # github.com/Azure-Samples/Machine-Learning-Operationalization
        "W tensorflow/core/framework/op_kernel.cc:993] Not found: Unsuccessful TensorSliceReader constructor: "
        "Failed to find any matching files for ./mnist_model",
        # Keras's load_model message, written here (not a user's post)
        "OSError: No file or directory found at ./outputs/model.h5",
        # github.com/Azure/azure-cli (ONNX Runtime in init() of an ACI deployment)
        "NO_SUCHFILE : Load model from /var/azureml-app/azureml-models/onnx_model/1/onnx_model failed:Load model "
        "/var/azureml-app/azureml-models/onnx_model/1/onnx_model failed. File doesn't exist",
    ),
    near_misses=(
        "I tensorflow/core/platform/cpu_feature_guard.cc:142] Your CPU supports instructions",
        "Restoring parameters from /var/azureml-app/azureml-models/mnist/1/model.ckpt",
    ),
    confidence=0.9,
)
