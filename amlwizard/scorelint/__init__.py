"""Static checks of a scoring script (score.py) for the mistakes that break Azure ML deployments.

Reads the script (never runs it) as azmlinfsrv will: can it be imported, are init() and run() callable
as the server calls them, are its names defined (pyflakes), where is the model loaded and from which
path, does run() hand exception text to callers, and, given the environment file, are its imports
installed and not removed from the pinned library versions. ``lint_script`` returns a ``LintReport``.
"""

from __future__ import annotations

from .._score_ast import ModelRef, find_model_refs
from ._issues import LintIssue, LintReport
from ._lint import lint_script

__all__ = ["LintIssue", "LintReport", "ModelRef", "lint_script", "find_model_refs"]
