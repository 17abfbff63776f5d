"""Scoring script of the v2-healthy-managed workshop scenario (diabetes-v2:1), an SDK v2 online deployment.

Healthy: loads model.json from AZUREML_MODEL_DIR and predicts.
"""

import json
import os

import numpy as np

model = None


def init():
    """Load the model once: AZUREML_MODEL_DIR is the model's version folder; model.json was registered."""
    global model
    path = os.path.join(os.environ["AZUREML_MODEL_DIR"], "model.json")
    with open(path) as f:
        spec = json.load(f)
    model = (np.asarray(spec["coef"], dtype=float), float(spec["intercept"]))


def run(raw_data):
    """Score a batch: {"data": [[10 features], ...]} -> one prediction a row."""
    rows = np.asarray(json.loads(raw_data)["data"], dtype=float)
    coef, intercept = model
    return (rows @ coef + intercept).round(2).tolist()
