"""Scoring script of the aks-503-spike workshop scenario (sklearn-diabetes:2).

Healthy code: the 503s come from request spikes outrunning the AKS autoscaler. Reads the model
through AZUREML_MODEL_DIR.
"""

import json
import os

import numpy as np

model = None


def init():
    """Load the registered model once, from the folder the service mounts it in."""
    global model
    path = os.path.join(os.getenv("AZUREML_MODEL_DIR"), "model.json")
    with open(path) as f:
        spec = json.load(f)
    model = (np.asarray(spec["coef"], dtype=float), float(spec["intercept"]))


def run(raw_data):
    """Score a batch: {"data": [[10 features], ...]} -> one prediction a row."""
    rows = np.asarray(json.loads(raw_data)["data"], dtype=float)
    coef, intercept = model
    return (rows @ coef + intercept).round(2).tolist()
