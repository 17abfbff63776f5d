"""Scoring script of the timeout-504 workshop scenario (churn-model:2).

run() rebuilds features from each record's history, ~50 ms an entry: a customer with 160 entries
takes ~8 s, past the service's 5000 ms scoring timeout (504).
"""

import json
import math
import time

from azureml.core.model import Model

model = None


def init():
    """Load the churn model once, when the container starts."""
    global model
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
    for record in records:
        for _ in record.get("history", []):
            time.sleep(0.05)  # stands in for a per-entry feature lookup
    return [_probability(r) for r in records]
