"""Tier 2: which failure family a whole text is about, when no catalogue entry names the failure.

A linear model over the cues a text gives (words, error codes split at their humps, HTTP statuses, cue
groups), fitted at development time on the corpus of real errors (``devtools/fit_family_model.py``,
scikit-learn) and shipped as ``catalogue/family_model.json``; here it is scored in pure Python. It is
explainable: the cues that weighed most for the family are returned with it.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "features",
    "FamilyModel",
    "FamilyScore",
    "load_model",
    "MAX_TEXT",
    "looks_like_failure",
    "family_findings",
    "BENIGN",
]

MAX_TEXT = 256 << 10  # tier 2 reads at most this much of a text (its head and tail for a big log)
_MODEL_FILE = Path(__file__).resolve().parent.parent / "catalogue" / "family_model.json"
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]{1,40}")
# A 4xx/5xx number said as a status (not a millisecond or a port): "status code 503", "error 429",
# "HTTP 408", "502 Bad Gateway", "424: Failed Dependency".
_STATUS = re.compile(
    r"\b(?:statuscode|status|code|http|error|errors|got|get|getting|returns?|returned|returning|with|throws?)\W{0,12}"
    r"([45][0-9][0-9])\b|\b([45][0-9][0-9])\W{0,3}(?=error|bad|service|gateway|unauthori|forbidden|not found|"
    r"too many|request|internal|failed|client|server|timeout|upstream)",
    re.IGNORECASE,
)
_HUMP = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+")
# Words that say nothing about which failure it is, only that text is English or a log.
_STOP = frozenset(
    "or to of in on at is it be an as by if we my me so do "
    "the and for with this that from are was were has have had not but you your can will its into than "
    "then there their they them our out use used using when what which while who how all any get got "
    "also been being did does doing just more most some such only very too here after before over".split()
)
# The line must show that something failed before tier 2 may say which family (a healthy log shows none).
_FAILURE_CUE = re.compile(
    r"error|exception|fail|fatal|traceback|denied|refused|unauthori[sz]ed|forbidden|killed|crash|"
    r"timed? ?out|timeout|quota|insufficient|unable|cannot|can.t|couldn.t|not found|no such|invalid|"
    r"unschedulable|back-?off",
    re.IGNORECASE,
)


# Lines of a healthy server that carry failure words without meaning a failure
BENIGN = re.compile(r"gunicorn\.error|[Tt]imeout (?:is set to|\(seconds\))", re.IGNORECASE)
# What the scoring container's own log shows (gunicorn, the inference server, its supervisors)
_SERVER_LOG = re.compile(
    r"gunicorn|azmlinfsrv|inferenc\w* (?:HTTP )?server|Booting worker|Listening at|runsvdir|rsyslog|"
    r"nginx/run|supervisord|iot-server",
    re.IGNORECASE,
)
# The start of a log line: a timestamp or a level (a log, as opposed to an error message or a sentence)
_LOG_LINE = re.compile(
    r"^\W{0,3}(?:\d{4}-\d\d-\d\d[ T]\d\d:\d\d|\d\d:\d\d:\d\d|[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d|"
    r"(?:INFO|DEBUG|WARNING|WARN|TRACE|NOTICE)\b)"
)


# Ways users and services say the same thing, as one cue each (the model learns how much each weighs):
# "timed out", "time limit", "takes longer" are all `cue:slow`. Domain knowledge, written down once.
_CUE_GROUPS: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in {
        "slow": r"time[ _]?outs?(?![a-z])|timed ?out|time limit|takes? (?:too )?long|taking longer"
        r"|takes? more th[ae]n|upstream request timeout",
        "memory": r"\bmemory\b|\bram\b|oom|out of memory|memoryerror|\bkilled\b|sigkill|\b137\b|[0-9] ?gb\b",
        "quota": r"quota|capacity|insufficient|not enough|no nodes?|nodes are available|vcpus?\b|cores?\b"
        r"|fails? to schedule|failed to schedule|cannot be scheduled|unschedulable",
        "access": r"unauthori[sz]ed|forbidden|permission|not authori[sz]ed|\brole\b|credential|token"
        r"|\bkeys?\b|denied|identity|\bauth",
        "missing": r"not found|doesn.t exist|does not exist|no such|could not be found|cannot find"
        r"|can.t find|could not find|couldn.t find|unable to find|failed to find|cannot locate",
        # an environment that builds (not an environment variable), a package pinned to a version
        "build": r"\bbuild|conda|\bpip\b|dockerfile|docker image|environment(?! variable)|dependenc"
        r"|requirements|wheel|error from sender|failed to solve|build context"
        r"|\b[a-z][a-z0-9_.-]{1,40}==[0-9]",
        "start": r"\binit\b|init\(\)|start(?:ing|up)?\b|crash|probe|liveness|readiness|restart"
        r"|back-?off|boot|gunicorn: (?:command )?not found|exited with (?:failure|code)|exit code -?[0-9]"
        r"|segmentation fault|core dumped",
        "model_files": r"model (?:file|path|folder|dir)|model_dir|azureml-models|get_model_path|\.pkl\b|"
        r"\.onnx\b|\.pt\b|\.h5\b|joblib|pickle",
        "request": r"\brun\(|\brun\b|request|payload|input|json|predict|scor(?:e|ing)",
        "python_error": r"\b[A-Z][a-z]+(?:Error|Exception)\b|traceback",
        # what a Python exception says when only its message reaches the caller (run() answered it)
        "python_message": r"has no attribute|indices must be|unexpected keyword argument|not subscriptable"
        r"|could not convert|unsupported operand|positional arguments? but|is not JSON serializable"
        r"|missing [0-9]+ required|object is not|expected [0-9]+ features|\{\W{0,4}error\W{0,4}:",
        "gateway": r"bad gateway|gateway|\b502\b|\b424\b|failed dependency",
        "busy": r"too many|\b429\b|\b503\b|unavailable|overload|concurren|spike|load test|stress|replicas?\b",
        "service_side": r"internal (?:server )?error|\b500\b|try again|contact support|request id",
        "conflict": r"conflict|already exists|unique|in progress|provisioning state|another operation",
        "spec": r"validation|invalid|schema|unknown field|yaml|not supported|misspelled|bad ?request|\b400\b",
        "network": r"connection|connect|unreachable|refused|dns|vnet|private (?:link|endpoint)|firewall"
        r"|proxy",
    }.items()
}


_TRACEBACK = re.compile(r"traceback|File \"", re.IGNORECASE)


def _humps(token: str) -> list[str]:
    """``ResourceNotReady`` -> resource, not, ready: codes share words with the sentences about them."""
    return [p.lower() for p in _HUMP.findall(token) if len(p) >= 3]


def features(text: str) -> set[str]:
    """The cues of ``text``: lower-cased words and codes, their humps, ``status:503``, ``cue:<group>``.
    (Adjacent word pairs were tried: on the grown corpus they cost top-3 accuracy in grouped
    cross-validation, more cues than threads to learn them from.)"""
    out: set[str] = set()
    text = BENIGN.sub(" ", text[:MAX_TEXT])
    out.update(f"status:{a or b}" for a, b in _STATUS.findall(text))
    out.update(f"cue:{name}" for name, pattern in _CUE_GROUPS.items() if pattern.search(text))
    if "cue:python_message" in out and not _TRACEBACK.search(text):
        out.add("cue:bare_exception")  # only the exception's message reached the caller: run() answered it
    for token in _TOKEN.findall(text):
        low = token.lower()
        if low in _STOP:
            continue
        out.add(low)
        if not token.islower() and not token.isupper():
            out.update(_humps(token))
    return out


def looks_like_failure(text: str, *, told: bool = True) -> bool:
    """Tier 2's gate: a text someone pasted as an error (a message, a traceback, a sentence) passes; a
    log (the scoring container's, or most lines starting with a timestamp or a level) only when a line
    shows a failure word or a 4xx/5xx status, so a healthy log gets no family. ``told=False``: nobody
    said the text shows a failure (a service's logs and answers fetched by amlwizard): a cue is needed."""
    text = BENIGN.sub(" ", text[:MAX_TEXT])
    if _FAILURE_CUE.search(text) is not None or _STATUS.search(text) is not None:
        return True
    if not told or _SERVER_LOG.search(text):
        return False
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) < 3 or sum(bool(_LOG_LINE.match(line)) for line in lines) * 2 < len(lines)


@dataclass(frozen=True)
class FamilyScore:
    family: str
    probability: float
    cues: tuple[str, ...]  # the cues present that weighed most for this family, strongest first


# An HTTP status said in the text points at its family whatever the corpus's counts (few texts quote a
# 408 or a 429): the guide's and the v2 doc's own mapping, added to the fitted weights when scored.
STATUS_FAMILY = {
    "status:502": "http-502", "status:424": "http-502", "status:503": "http-503", "status:429": "http-503",
    "status:504": "http-504", "status:408": "http-504", "status:401": "auth-or-workspace",
    "status:403": "auth-or-workspace", "status:404": "auth-or-workspace",
}  # fmt: skip
# A Python exception's message alone, no traceback: what the caller gets when run() catches the exception
# and returns str(e), as the guide suggests while debugging (init() failures come with the container's log).
PRIOR_FAMILY = {**STATUS_FAMILY, "cue:bare_exception": "run-failure"}
STATUS_WEIGHT = 1.0


class FamilyModel:
    """A multinomial linear model: ``weights[cue][family]``, one intercept a family."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.families: list[str] = list(data["families"])
        self.intercepts: list[float] = list(data["intercepts"])
        self.weights: dict[str, list[float]] = {k: list(v) for k, v in data["weights"].items()}

    def score(self, text: str, *, top: int = 3) -> list[FamilyScore]:
        """The ``top`` most likely families of ``text``, with their probabilities and cues."""
        cues = features(text)
        present = [cue for cue in cues if cue in self.weights]
        logits = list(self.intercepts)
        for cue in present:
            for i, w in enumerate(self.weights[cue]):
                logits[i] += w
        for cue in cues & PRIOR_FAMILY.keys():
            if PRIOR_FAMILY[cue] in self.families:
                logits[self.families.index(PRIOR_FAMILY[cue])] += STATUS_WEIGHT
        peak = max(logits)
        exps = [math.exp(z - peak) for z in logits]
        total = sum(exps)
        ranked = sorted(range(len(self.families)), key=lambda i: -exps[i])[:top]
        out = []
        for i in ranked:
            weighing = sorted(
                (c for c in present if self.weights[c][i] > 0), key=lambda c: -self.weights[c][i]
            )
            out.append(FamilyScore(self.families[i], exps[i] / total, tuple(weighing[:5])))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"families": self.families, "intercepts": self.intercepts, "weights": self.weights}


@lru_cache(maxsize=1)
def load_model(path: str | None = None) -> FamilyModel:
    """The shipped model (read once)."""
    return FamilyModel(json.loads(Path(path or _MODEL_FILE).read_text(encoding="utf-8")))


# -- tier-2 findings ---------------------------------------------------------------------------------------
WEAK = 0.8  # tier 1's best confidence below this leaves room for tier 2
MIN_PROBABILITY = 0.07  # a family less likely than this is not worth a finding (tuned by bench_accuracy)
MAX_FAMILIES = 3  # tier 2 names at most this many families when tier 1 is silent
BESIDE_TIER1_FAMILIES = 1  # and this many other families beside a weak tier-1 finding,
BESIDE_TIER1_PROBABILITY = 0.3  # each at least this likely


def _cue_lines(lines: list[tuple[int, str]], cues: tuple[str, ...], limit: int = 3) -> list[tuple[int, str]]:
    """The lines that carry the most of ``cues`` (in their order)."""
    words = [(cue, cue.split()) for cue in cues if not cue.startswith("status:")]
    scored = []
    for number, text in lines:
        low = text.lower()
        hits = sum(all(w in low for w in parts) for _, parts in words)
        hits += sum(cue[7:] in text for cue in cues if cue.startswith("status:"))
        if hits:
            scored.append((hits, number, text))
    best = sorted(scored, key=lambda t: (-t[0], -t[1]))[:limit]
    return sorted((n, t) for _, n, t in best)


def family_findings(
    lines: list[tuple[int, str]], found: list[Any], model: FamilyModel | None = None, *, told: bool = True
) -> list[Any]:
    """Tier 2's findings for numbered ``lines``, given tier 1's ``found``: none when tier 1 is strong or
    the text shows no failure; else the likeliest families tier 1 did not name, below tier 1's confidence."""
    from .. import catalogue
    from .._finding import Evidence, Finding
    from .._secrets import mask_secrets

    if any(f.confidence >= WEAK for f in found):
        return []
    text = "\n".join(t for _, t in lines)
    if not looks_like_failure(text, told=told):
        return []
    named = {f.family for f in found}
    # beside tier 1's weak findings, only a clearly likelier other family; alone, the likeliest few
    limit, floor = (
        (BESIDE_TIER1_FAMILIES, BESIDE_TIER1_PROBABILITY) if found else (MAX_FAMILIES, MIN_PROBABILITY)
    )
    out = []
    for score in (model or load_model()).score(text, top=limit + len(named)):
        if score.family in named or score.probability < floor or len(out) >= limit:
            continue
        info = catalogue.family_info(score.family)
        evidence = [Evidence(n, mask_secrets(t.strip())[:300]) for n, t in _cue_lines(lines, score.cues)]
        out.append(
            Finding(
                id=f"family:{score.family}",
                family=score.family,
                title=info.title,
                step=info.step,
                confidence=min(0.49, round(0.2 + 0.3 * score.probability, 2)),
                evidence=evidence,
                explanation=info.explanation,
                remedies=list(info.remedies),
                doc_url=info.doc_url,
                facts={"tier": 2, "cues": list(score.cues), "probability": round(score.probability, 2)},
            )
        )
    return out
