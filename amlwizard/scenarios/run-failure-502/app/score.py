"""Scoring script of the run-failure-502 workshop scenario (sklearn-diabetes:1).

run() raises ValueError when a single sample is sent as a flat list (1D); the service answers
502.
"""

import json

import numpy as np
from azureml.core.model import Model

model = None


def init():
    global model
    path = Model.get_model_path("sklearn-diabetes")
    with open(path) as f:
        spec = json.load(f)
    model = (np.asarray(spec["coef"], dtype=float), float(spec["intercept"]))


def _as_rows(data):
    # The estimator's own input check: a single sample must be sent as a list of one row.
    rows = np.asarray(data, dtype=float)
    if rows.ndim != 2:
        raise ValueError(
            f"Expected 2D array, got {rows.ndim}D array instead: array={rows.tolist()}. "
            "Reshape your data either using array.reshape(-1, 1) if your data has a single feature "
            "or array.reshape(1, -1) if it contains a single sample."
        )
    return rows


def run(raw_data):
    rows = _as_rows(json.loads(raw_data)["data"])
    coef, intercept = model
    return (rows @ coef + intercept).round(2).tolist()
