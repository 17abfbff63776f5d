"""Scoring script of the v2-resource-not-ready workshop scenario (churn-v2:1).

init() raises: the threshold is read from an environment variable the deployment sets to a word, not a
number. The container exits, the liveness probe gets 502 and the create fails with ResourceNotReady.
"""

import json
import os

model = None
threshold = None


def init():
    """Load the model and the decision threshold (CHURN_THRESHOLD, from the deployment's environment)."""
    global model, threshold
    threshold = float(os.environ.get("CHURN_THRESHOLD", "high"))  # "high" is what the deployment set
    with open(os.path.join(os.environ["AZUREML_MODEL_DIR"], "model.json")) as f:
        model = json.load(f)


def run(raw_data):
    """{"data": [{"tenure": ..., "monthly": ...}]} -> churn yes/no per customer."""
    rows = json.loads(raw_data)["data"]
    w = model["weights"]
    return [w["tenure"] * r["tenure"] + w["monthly"] * r["monthly"] + model["bias"] > threshold for r in rows]
