"""Scoring script of the v2-429-concurrency workshop scenario (diabetes-v2:4), an SDK v2 online deployment.

Healthy but slow (1.5 s a request) on one instance with max_concurrent_requests_per_instance=1: more than
2 x 1 x 1 requests in flight get 429 Too Many Requests from the managed endpoint's front end.
"""

import json
import os
import time

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
    time.sleep(1.5)  # the model takes 1.5 s a request: one instance serves one at a time
    rows = np.asarray(json.loads(raw_data)["data"], dtype=float)
    coef, intercept = model
    return (rows @ coef + intercept).round(2).tolist()
