"""The linter's result types: one ``LintIssue`` a problem, a ``LintReport`` a script."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .._score_ast import ModelRef

__all__ = ["LintIssue", "LintReport"]


@dataclass
class LintIssue:
    """One finding: ``severity`` is "error" (breaks the deployment), "warning" or "info"."""

    id: str
    severity: str
    line: int
    message: str
    fix: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class LintReport:
    path: str
    issues: list[LintIssue] = field(default_factory=list)
    model_refs: list[ModelRef] = field(default_factory=list)

    @property
    def errors(self) -> list[LintIssue]:
        return [i for i in self.issues if i.severity == "error"]

    def add(self, id: str, severity: str, line: int, message: str, fix: str) -> None:
        self.issues.append(LintIssue(id, severity, line, message, fix))

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "ok": not self.errors,
            "issues": [i.to_dict() for i in self.issues],
            "model_refs": [r.to_dict() for r in self.model_refs],
        }
