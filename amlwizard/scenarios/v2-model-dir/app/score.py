"""Scoring script of the v2-model-dir workshop scenario (credit-v2:1).

The model was registered as the folder ``model/`` (Model(path="model")): in the container its file is at
$AZUREML_MODEL_DIR/model/model.json. init() looks for $AZUREML_MODEL_DIR/model.json and raises
FileNotFoundError, so the container crashes at start (ResourceNotReady).
"""

import json
import os

model = None


def init():
    """Load the rules from the registered model."""
    global model
    path = os.path.join(os.getenv("AZUREML_MODEL_DIR"), "model.json")  # the registered folder is missing here
    with open(path) as f:
        model = json.load(f)


def run(raw_data):
    """{"data": [{"income": ..., "debt": ...}]} -> approve yes/no per applicant."""
    rows = json.loads(raw_data)["data"]
    return [
        r["income"] * model["income_weight"] - r["debt"] * model["debt_weight"] > model["cutoff"]
        for r in rows
    ]
