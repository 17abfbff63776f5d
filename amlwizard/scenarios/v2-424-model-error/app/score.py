"""Scoring script of the v2-424-model-error workshop scenario (diabetes-v2:3).

run() raises on rows that do not have 10 features, which is what callers send: the server answers 500, and
the managed endpoint's front end turns that into 424 Failed Dependency (ms-azureml-model-error-statuscode:
500).
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
    rows = json.loads(raw_data)["data"]
    if any(len(r) != 10 for r in rows):  # callers send records of 9 features: the model needs 10
        raise ValueError(f"Expected 10 features per row, got {sorted({len(r) for r in rows})}")
    rows = np.asarray(json.loads(raw_data)["data"], dtype=float)
    coef, intercept = model
    return (rows @ coef + intercept).round(2).tolist()
