"""Scoring script of the crashloop-init-exception workshop scenario (churn-model:1).

init() reads a setting the deployment never sets (CHURN_THRESHOLD): KeyError, the container
restarts (CrashLoopBackOff).
"""

import json
import math
import os

from azureml.core.model import Model

model = None
threshold = None


def init():
    """Load the churn model once, when the container starts."""
    global model, threshold
    threshold = float(os.environ["CHURN_THRESHOLD"])  # set in the notebook, not in the deployment
    path = Model.get_model_path("churn-model")
    with open(path) as f:
        spec = json.load(f)
    model = spec


def _probability(record):
    z = model["intercept"] + sum(
        c * float(record[f]) for f, c in zip(model["features"], model["coef"], strict=True)
    )
    return round(1.0 / (1.0 + math.exp(-z)), 4)


def run(raw_data):
    """Score customers: {"data": [{feature: value, ...}, ...]} -> one probability each."""
    records = json.loads(raw_data)["data"]
    return [_probability(r) for r in records]
