"""Scoring script of the v2-408-timeout workshop scenario (churn-v2:2).

run() scores each customer's whole history; a long history takes longer than the deployment's
request_timeout_ms (5000, the default): the managed endpoint's front end answers 408 while run() still works.
"""

import json
import os
import time

model = None


def init():
    """Load the model once."""
    global model
    with open(os.path.join(os.environ["AZUREML_MODEL_DIR"], "model.json")) as f:
        model = json.load(f)


def run(raw_data):
    """{"data": [{"tenure": ..., "monthly": ..., "history": [...]}]} -> a churn score per customer."""
    scores = []
    for r in json.loads(raw_data)["data"]:
        for _ in r.get("history", []):
            time.sleep(0.05)  # one slow feature lookup per past month
        w = model["weights"]
        scores.append(round(w["tenure"] * r["tenure"] + w["monthly"] * r["monthly"] + model["bias"], 3))
    return scores
