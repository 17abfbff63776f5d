"""SDK v2 model path: what ``AZUREML_MODEL_DIR`` holds in a deployment's container, what the scoring script
opens under it (read from its syntax tree), and the fix: the nested folder of a registered folder, and a v1
script's ``Model.get_model_path(...)`` rewritten to ``AZUREML_MODEL_DIR``.
"""

from __future__ import annotations

import ast
import difflib
import json
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ._errors import UsageProblem
from ._finding import Evidence, Finding
from ._score_ast import dotted, functions, reads_model_dir

__all__ = [
    "ModelDirOpen",
    "Migration",
    "ModelDirReport",
    "inspect_model_dir",
    "migrations_of",
    "CONTAINER_ROOT",
]

CONTAINER_ROOT = "/var/azureml-app/azureml-models"  # where a v2 deployment's container has its models
_DOC = "https://learn.microsoft.com/azure/machine-learning/how-to-troubleshoot-online-endpoints"
_ENV = 'os.getenv("AZUREML_MODEL_DIR")'


@dataclass
class ModelDirOpen:
    """One path the script builds on ``AZUREML_MODEL_DIR`` (``relative_path`` None: the folder itself)."""

    line: int
    function: str | None
    relative_path: str | None
    exists: bool
    source_line: str  # the script's own line
    fix: str | None = None  # the corrected expression
    fixed_line: str | None = None  # the script's line with the fix in place


@dataclass
class Migration:
    """A v1 ``Model.get_model_path(...)`` call and its SDK v2 rewrite."""

    line: int
    call: str  # as the script writes it
    rewrite: str  # the AZUREML_MODEL_DIR expression that names the same file or folder
    source_line: str
    fixed_line: str


@dataclass
class ModelDirReport:
    """``AZUREML_MODEL_DIR`` of ``model_name:version`` as the container has it, and the script's reads."""

    model_name: str
    version: int
    model_dir: str  # AZUREML_MODEL_DIR in the container
    files: list[str]  # under AZUREML_MODEL_DIR (folders end with /)
    opens: list[ModelDirOpen] = field(default_factory=list)
    migrations: list[Migration] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    fix: str | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["findings"] = [f.to_dict() for f in self.findings]
        data["ok"] = self.ok
        return data


def _listing(version_dir: Path) -> list[str]:
    return sorted(
        str(p.relative_to(version_dir)) + ("/" if p.is_dir() else "") for p in version_dir.rglob("*")
    )


def _candidate(wanted: str, files: list[str]) -> str | None:
    """Where the wanted file really is: the same name deeper down (the nesting mistake), or close."""
    plain = [f for f in files if not f.endswith("/")]
    same_name = sorted((f for f in plain if Path(f).name == Path(wanted).name), key=len)
    if same_name:
        return same_name[0]
    close = difflib.get_close_matches(wanted, plain, n=1, cutoff=0.5)
    return close[0] if close else None


def _join(first: str, relative: str) -> str:
    parts = ", ".join(json.dumps(p) for p in relative.split("/") if p)
    return f"os.path.join({first}, {parts})" if parts else first


_READS = ("os.getenv", "getenv", "os.environ.get")


def _folder_names(tree: ast.Module) -> set[str]:
    """Names given the folder itself (``model_dir = os.getenv("AZUREML_MODEL_DIR")``), joined onto later."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and reads_model_dir(node.value):
            value = node.value
            bare = (isinstance(value, ast.Call) and dotted(value.func) in _READS) or (
                isinstance(value, ast.Subscript) and dotted(value.value) == "os.environ"
            )
            names |= {t.id for t in node.targets if bare and isinstance(t, ast.Name)}
    return names


def _model_dir_joins(tree: ast.Module, source: str) -> list[tuple[ast.Call, str | None]]:
    """Every ``os.path.join(<AZUREML_MODEL_DIR>, ...)`` (also through a name holding it) and bare read, with
    the literal path joined."""
    found: list[tuple[ast.Call, str | None]] = []
    inside: set[int] = set()
    folders = _folder_names(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = dotted(node.func)
        first = node.args[0] if node.args else None
        on_folder = first is not None and (
            reads_model_dir(first) or (isinstance(first, ast.Name) and first.id in folders)
        )
        if name.endswith("path.join") and on_folder:
            inside.update(id(n) for n in ast.walk(node.args[0]))
            rest = [
                a.value for a in node.args[1:] if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            found.append((node, "/".join(rest) if len(rest) == len(node.args) - 1 and rest else None))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and id(node) not in inside and reads_model_dir(node):
            if dotted(node.func) in _READS:
                found.append((node, None))
    return sorted(found, key=lambda f: f[0].lineno)


def _owner(tree: ast.Module) -> dict[int, str]:
    return {id(n): f.name for f in functions(tree).values() for n in ast.walk(f)}


def _replaced(line: str, segment: str | None, new: str) -> str:
    return line.replace(segment, new, 1) if segment and segment in line else new


def migrations_of(source: str, files: list[str]) -> list[Migration]:
    """Each ``Model.get_model_path(...)`` of a script and what reads the same file under ``AZUREML_MODEL_DIR``
    (``files``: what the version folder holds; its one entry is what get_model_path returned)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    lines = source.splitlines()
    top = [f.rstrip("/") for f in files if "/" not in f.rstrip("/")]
    rewrite = _join(_ENV, top[0]) if len(top) == 1 else _ENV
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and dotted(node.func).endswith("get_model_path"):
            call = ast.get_source_segment(source, node) or "Model.get_model_path(...)"
            line = lines[node.lineno - 1] if node.lineno <= len(lines) else call
            out.append(
                Migration(node.lineno, call, rewrite, line.strip(), _replaced(line, call, rewrite).strip())
            )
    return sorted(out, key=lambda m: m.line)


def _check_opens(report: ModelDirReport, source: str) -> None:
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        report.problems.append(f"the scoring script does not parse (line {err.lineno}: {err.msg})")
        return
    lines, owner = source.splitlines(), _owner(tree)
    present = {f.rstrip("/") for f in report.files}
    for node, relative in _model_dir_joins(tree, source):
        line = lines[node.lineno - 1].strip() if node.lineno <= len(lines) else ""
        opened = ModelDirOpen(node.lineno, owner.get(id(node)), relative, True, line)
        report.opens.append(opened)
        if relative is None or relative.strip("/") in present:
            continue
        opened.exists = False
        where = f"Line {node.lineno}" + (f" ({opened.function}())" if opened.function else "")
        problem = (
            f"{where} opens $AZUREML_MODEL_DIR/{relative} = {report.model_dir}/{relative}: "
            "there is no such file in the container."
        )
        found = _candidate(relative, report.files)
        if found:
            first = ast.get_source_segment(source, node.args[0]) if node.args else None
            opened.fix = _join(first or _ENV, found)
            opened.fixed_line = _replaced(line, ast.get_source_segment(source, node), opened.fix)
            report.fix = report.fix or opened.fix
            extra = found[: -len(relative)].strip("/") if found.endswith(relative) else ""
            problem += (
                f" The model was registered as the folder {extra!r}, so the file is one level deeper: "
                f"$AZUREML_MODEL_DIR/{found}."
                if extra
                else f" The closest file there is $AZUREML_MODEL_DIR/{found}."
            )
        else:
            shown = ", ".join(report.files[:10]) or "nothing"
            problem += f" AZUREML_MODEL_DIR holds: {shown}."
        report.problems.append(problem)


def inspect_model_dir(
    name: str,
    version: int,
    *,
    model_files: str | Path | None = None,
    version_dir: str | Path | None = None,
    script: str | Path | None = None,
    container_model_dir: str | None = None,
    deployed: bool = True,
) -> ModelDirReport:
    """``AZUREML_MODEL_DIR`` of a v2 deployment and what ``script`` opens there.

    Give ``model_files`` (what was registered: laid out as the container has it) or ``version_dir`` (a folder
    already laid out, e.g. a downloaded model's ``azureml-models/<name>/<version>``). ``deployed`` False: the
    script still runs on SDK v1 (its ``get_model_path`` calls are shown as a migration, not a problem).
    """
    from ._layout import ModelSpec, lay_out_app_root

    if (model_files is None) == (version_dir is None):
        raise UsageProblem("give either the model's registered files or a downloaded version folder")
    source = None
    if script is not None:
        script = Path(script)
        if not script.is_file():
            raise UsageProblem(f"no scoring script at {script}; give the path of your score.py")
        source = script.read_text(encoding="utf-8", errors="replace")
    with tempfile.TemporaryDirectory(prefix="amlwizard-model-dir-") as tmp:
        if model_files is not None:
            files = Path(model_files)
            if not files.exists():
                raise UsageProblem(f"no model files at {files}; give the folder or file that was registered")
            folder = lay_out_app_root(Path(tmp), ModelSpec(name, int(version), files))
        else:
            folder = Path(version_dir)  # type: ignore[arg-type]
            if not folder.is_dir():
                raise UsageProblem(f"no model folder at {folder}; give the downloaded version folder")
        listing = _listing(folder)
    report = ModelDirReport(
        name, int(version), container_model_dir or f"{CONTAINER_ROOT}/{name}/{version}", listing
    )
    if source is not None:
        _check_opens(report, source)
        report.migrations = migrations_of(source, listing)
        if deployed and report.migrations:
            m = report.migrations[0]
            report.problems.append(
                f"Line {m.line} calls {m.call}: that is SDK v1 (azureml-core), which an SDK v2 environment "
                f"does not have. Read AZUREML_MODEL_DIR instead: {m.rewrite}."
            )
            report.fix = report.fix or m.rewrite
    report.findings = _findings(report)
    return report


def _findings(report: ModelDirReport) -> list[Finding]:
    if report.ok:
        return []
    return [
        Finding(
            id="model-file-missing",
            family="model-path-not-found",
            title=f"The scoring script opens a file that is not under AZUREML_MODEL_DIR ({report.model_dir})",
            step=4,
            confidence=0.9,
            evidence=[Evidence(o.line, o.source_line) for o in report.opens if not o.exists],
            explanation=" ".join(report.problems),
            remedies=[r for r in [report.fix] if r],
            doc_url=_DOC,
            facts={"model_name": report.model_name, "model_dir": report.model_dir},
        )
    ]
