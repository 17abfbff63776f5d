"""Scoring script of the aks-gpu-unschedulable workshop scenario (resnet-classifier:2).

Healthy code: the service asks for a GPU no AKS node has, so it is never scheduled.
"""

import json
import os

import numpy as np
from azureml.core.model import Model

weights = None
labels = None


def init():
    """Load the classifier folder (weights + labels) once."""
    global weights, labels
    folder = Model.get_model_path("resnet-classifier")
    with open(os.path.join(folder, "weights.json")) as f:
        spec = json.load(f)
    with open(os.path.join(folder, "labels.json")) as f:
        labels = json.load(f)
    weights = (np.asarray(spec["w"], dtype=float), np.asarray(spec["b"], dtype=float))


def run(raw_data):
    """Classify 4x4 grey images: {"data": [[16 pixels], ...]} -> label and probability each."""
    pixels = np.asarray(json.loads(raw_data)["data"], dtype=float)
    w, b = weights
    logits = pixels @ w + b
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    return [
        {"label": labels[int(i)], "probability": round(float(p[i]), 3)}
        for p, i in zip(probs, probs.argmax(axis=1), strict=True)
    ]
