"""Scoring script of the image-build-failure workshop scenario (credit-model:2).

Healthy code: the image build fails on conda resolution (ResolvePackageNotFound) because of
conda.yml, not the script.
"""

import json
import math

from azureml.core.model import Model

model = None


def init():
    """Load the credit model once, when the container starts."""
    global model
    path = Model.get_model_path("credit-model")
    with open(path) as f:
        spec = json.load(f)
    model = spec


def _probability(record):
    z = model["intercept"] + sum(
        c * float(record[f]) for f, c in zip(model["features"], model["coef"], strict=True)
    )
    return round(1.0 / (1.0 + math.exp(-z)), 4)


def run(raw_data):
    """Score applicants: {"data": [{feature: value, ...}, ...]} -> one probability each."""
    records = json.loads(raw_data)["data"]
    return [_probability(r) for r in records]
