"""When no failure is recognised: the lines that look most like one, the step they suggest, what to do next.

"Not recognised" is still an answer: a traceback's last frame and exception, the lines saying error,
failed or a 4xx/5xx status, picked from the text tier 2 reads (its head and tail), in their order.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from .._secrets import mask_secrets
from .._tracebacks import EXCEPTION_LINE, FRAME_LINE
from .family import BENIGN

__all__ = ["Unrecognised", "unrecognised"]

MAX_LINES = 6
_CHARS = 300
_LOUD = re.compile(
    r"\b(?:error|exception|failed|failure|fatal|critical|denied|refused|unauthori[sz]ed|forbidden|"
    r"killed|crash(?:ed)?|timed? ?out|unable|cannot|not found)\b|\b[45][0-9][0-9] [A-Z][a-z]",
    re.IGNORECASE,
)
# words of a line -> the deployment step they point at (checked in this order; the first that fits wins)
_STEP_WORDS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (2, re.compile(r"\b(?:conda|pip|dockerfile|image build|build log|environment image)\b", re.I)),
    (3, re.compile(r"\b(?:pull|schedul|node|quota|capacity)\w*", re.I)),
    (4, re.compile(r"\b(?:azureml-models|model_dir|model path|storage-initializer|download)\w*", re.I)),
    (5, re.compile(r"\b(?:init\(\)|in init|def init|liveness|readiness|gunicorn|worker|booting)\b", re.I)),
    (6, re.compile(r"\b(?:run\(\)|in run|/score|scoring|request)\b", re.I)),
)
NEXT_STEPS = (
    "Read the init container's log too (`amlwizard logs SERVICE --init`; for SDK v2 the storage-initializer "
    "container), and the deployment's error payload (service.error).",
    "Reproduce locally: `amlwizard serve score.py --model NAME:VERSION --model-dir FOLDER` runs the "
    "scoring script in the real inference server, where a traceback is easy to read.",
    "Call the service with a sample request and diagnose its answer with the logs.",
)


@dataclass
class Unrecognised:
    """The lines that look most like the failure (``(line number, masked text)``), a step they suggest
    (or None), and the next things to try."""

    lines: list[tuple[int, str]] = field(default_factory=list)
    step: int | None = None
    next_steps: list[str] = field(default_factory=lambda: list(NEXT_STEPS))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["lines"] = [{"line": n, "text": t} for n, t in self.lines]
        return data


def unrecognised(lines: list[tuple[int, str]]) -> Unrecognised | None:
    """The answer for numbered ``lines`` in which nothing was recognised; None when none looks failed."""
    picked: dict[int, str] = {}
    last_frame: tuple[int, str] | None = None
    for number, text in lines:
        if FRAME_LINE.match(text):
            last_frame = (number, text)
        elif EXCEPTION_LINE.match(text):
            if last_frame is not None:
                picked[last_frame[0]] = last_frame[1]
            picked[number] = text
        elif _LOUD.search(BENIGN.sub(" ", text)):
            picked[number] = text
    if not picked:
        return None
    # the last ones: a log ends with what made it stop
    chosen = sorted(picked.items())[-MAX_LINES:]
    shown = [(n, mask_secrets(t.strip())[:_CHARS]) for n, t in chosen]
    step = next((s for s, words in _STEP_WORDS if any(words.search(t) for _, t in shown)), None)
    return Unrecognised(shown, step)
