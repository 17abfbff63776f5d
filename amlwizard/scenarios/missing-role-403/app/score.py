"""Scoring script of the missing-role-403 workshop scenario (sklearn-diabetes:3).

Healthy code: the failure is the caller's missing role on the workspace (403 AuthorizationFailed), not the
script.
"""

import json

import numpy as np
from azureml.core.model import Model

model = None


def init():
    """Load the registered model once, when the container starts."""
    global model
    path = Model.get_model_path("sklearn-diabetes")
    with open(path) as f:
        spec = json.load(f)
    model = (np.asarray(spec["coef"], dtype=float), float(spec["intercept"]))


def run(raw_data):
    """Score a batch: {"data": [[10 features], ...]} -> one prediction a row."""
    rows = np.asarray(json.loads(raw_data)["data"], dtype=float)
    coef, intercept = model
    return (rows @ coef + intercept).round(2).tolist()
