"""Fit tier 2's family model on the corpus of real errors and write ``amlwizard/catalogue/family_model.json``.

    python devtools/fit_family_model.py          # needs the dev extra: pip install ".[dev]"

Development time only (scikit-learn); the package scores the written weights in pure Python
(``amlwizard/_scanning/family.py``). ``benchmarks/bench_accuracy.py`` calls ``fit`` once per fold to
cross-validate it, so a text is never scored by a model that saw its thread.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from amlwizard._finding import FAMILIES  # noqa: E402
from amlwizard._scanning.family import FamilyModel, features  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "real-errors"
MODEL_FILE = ROOT / "amlwizard" / "catalogue" / "family_model.json"
C = 0.3  # L2 strength, chosen by grouped cross-validation (bench_accuracy.py --tune prints the others)
MIN_THREADS = 2  # a cue seen in one thread only is that thread's, not the family's


def load_corpus(folder: Path = CORPUS) -> list[dict[str, Any]]:
    """Every record of every ``*.jsonl`` in the corpus folder."""
    return [
        json.loads(line)
        for path in sorted(folder.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def fit(records: list[dict[str, Any]], c: float = C) -> FamilyModel:
    """A multinomial logistic regression over the cues of ``records`` (texts labelled by family)."""
    from sklearn.linear_model import LogisticRegression

    feats = [features(r["text"]) for r in records]
    threads: dict[str, set[str]] = {}
    for r, f in zip(records, feats, strict=True):
        for cue in f:
            threads.setdefault(cue, set()).add(r["source"])
    vocab = sorted(cue for cue, seen in threads.items() if len(seen) >= MIN_THREADS)
    index = {cue: i for i, cue in enumerate(vocab)}
    import numpy as np

    x = np.zeros((len(records), len(vocab)), dtype=np.float32)
    for row, f in enumerate(feats):
        for cue in f:
            if cue in index:
                x[row, index[cue]] = 1.0
    y = [r["family"] for r in records]
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    model.fit(x, y)
    families = [f for f in FAMILIES if f in set(model.classes_)]
    order = [list(model.classes_).index(f) for f in families]
    coef = model.coef_[order]
    weights = {
        cue: [round(float(w), 3) for w in coef[:, i]]
        for cue, i in index.items()
        if float(np.abs(coef[:, i]).max()) >= 0.005
    }
    intercepts = [round(float(b), 3) for b in model.intercept_[order]]
    return FamilyModel({"families": families, "intercepts": intercepts, "weights": weights})


def main() -> int:
    records = load_corpus()
    model = fit(records)
    data = {
        "about": (
            "Tier-2 family model of amlwizard: weights[cue][i] for families[i]; fitted by "
            "devtools/fit_family_model.py on tests/data/real-errors (see docs/diagnose.md)."
        ),
        "fitted_on": dict(Counter(r["family"] for r in records)),
        **model.to_dict(),
    }
    MODEL_FILE.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"{MODEL_FILE.relative_to(ROOT)}: {len(model.weights)} cues, {len(model.families)} families")
    return 0


if __name__ == "__main__":
    sys.exit(main())
