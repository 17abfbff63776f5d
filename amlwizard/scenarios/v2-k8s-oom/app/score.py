"""Scoring script of the v2-k8s-oom workshop scenario (embeddings-v2:1).

init() builds a lookup table of ``TABLE_ROWS`` rows (the deployment sets 40 million: about 3 GB) in a pod
limited to 1 GiB: the kernel kills the container (OOMKilled, exit code 137) and the pod restarts. Locally the
default is small, so the app serves; set TABLE_ROWS to see the memory it needs.
"""

import json
import os

model = None
table = None


def init():
    """Load the model, then precompute the lookup table it serves from."""
    global model, table
    with open(os.path.join(os.environ["AZUREML_MODEL_DIR"], "model.json")) as f:
        model = json.load(f)
    rows = int(os.environ.get("TABLE_ROWS", "1000"))
    table = [float(i) * model["scale"] for i in range(rows)]


def run(raw_data):
    """{"data": [row ids]} -> the table's value for each id."""
    ids = json.loads(raw_data)["data"]
    return [table[i % len(table)] for i in ids]
