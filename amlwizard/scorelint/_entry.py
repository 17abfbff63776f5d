"""init() and run() as azmlinfsrv calls them: present, callable with what the server passes, input parsed.

The rules follow azureml_inference_server_http's ``UserScript._analyze_run`` and its input parsers:
run() may not take *args, **kwargs or positional-only parameters; a parameter named ``request_headers``
receives the headers; with ``@input_schema``/``@output_schema`` every other parameter is passed by name
from the JSON body; otherwise (undecorated, or ``@rawhttp``) only the first one is passed: the request
body as a str (the flask request with ``@rawhttp``).
"""

from __future__ import annotations

import ast

from .._score_ast import dotted
from ._issues import LintReport
from ._script import Script, decorator_names, stored_names

__all__ = ["check_entry_points"]

_SCHEMA = {"input_schema", "output_schema"}
_PREDICT = {"predict", "predict_proba", "predict_log_proba", "decision_function", "forecast", "transform"}
_BLOCKING = {
    ("time", "sleep"): "time.sleep()",
    ("requests", "get"): "requests.get()",
    ("requests", "post"): "requests.post()",
    ("urllib.request", "urlopen"): "urlopen()",
    ("request", "urlopen"): "urlopen()",
    ("subprocess", "run"): "subprocess.run()",
    ("subprocess", "call"): "subprocess.call()",
    ("subprocess", "check_output"): "subprocess.check_output()",
}


def _defined_at_top(tree: ast.Module, name: str) -> bool:
    """azmlinfsrv only asks ``hasattr(module, name)``: a def, an assignment or an import all count."""
    return any(name in stored_names(stmt) or getattr(stmt, "name", None) == name for stmt in tree.body)


def _check_init(init: ast.FunctionDef, report: LintReport) -> None:
    args = init.args
    required = len(args.posonlyargs) + len(args.args) - len(args.defaults)
    required += sum(d is None for d in args.kw_defaults)
    if required:
        report.add(
            "init-signature",
            "error",
            init.lineno,
            "init() takes arguments: the server calls init() with none",
            "use `def init():`",
        )


def _check_run(run: ast.FunctionDef, report: LintReport) -> None:
    args, decorators = run.args, decorator_names(run)
    fix = "use `def run(raw_data):` (or `def run(raw_data, request_headers):`)"
    if args.posonlyargs or args.vararg or args.kwarg:
        report.add(
            "run-signature",
            "error",
            run.lineno,
            "run() takes *args, **kwargs or positional-only parameters: the server refuses it at start",
            fix,
        )
        return
    params = [a for a in args.args + args.kwonlyargs if a.arg != "request_headers"]
    if not params:
        report.add(
            "run-signature",
            "error",
            run.lineno,
            "run() has no parameter for the input: the server refuses it at start",
            fix,
        )
        return
    if _SCHEMA & decorators and "rawhttp" in decorators:
        report.add(
            "run-signature",
            "error",
            run.lineno,
            "run() is decorated with both @rawhttp and @input_schema: the server refuses it at start",
            "keep one of them",
        )
        return
    if _SCHEMA & decorators:
        return  # every parameter is passed by name from the JSON body
    defaults = dict(zip([a.arg for a in args.args][::-1], args.defaults[::-1], strict=False))
    defaults.update(
        {a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None}
    )
    missing = [a.arg for a in params[1:] if a.arg not in defaults]
    if missing:
        passed = "the flask request" if "rawhttp" in decorators else "the request body"
        report.add(
            "run-signature",
            "error",
            run.lineno,
            f"run() requires {', '.join(missing)} too, but the server passes only {passed} "
            f"(as {params[0].arg}): every request fails with TypeError",
            "give the extra parameters defaults, or decorate run() with @input_schema for each of them",
        )


def _check_blocking(run: ast.FunctionDef, report: LintReport) -> None:
    for node in ast.walk(run):
        if isinstance(node, ast.Call):
            head, _, last = dotted(node.func).rpartition(".")
            what = _BLOCKING.get((head, last))
            if what:
                report.add(
                    "blocking-call-in-run",
                    "warning",
                    node.lineno,
                    f"{what} in run() holds the worker: slow requests end in 504 "
                    "(scoring timeout, 60 s on AKS by default)",
                    "remove it, move it to init(), or raise the service's scoring_timeout_ms",
                )


def _check_input_parsed(run: ast.FunctionDef, report: LintReport) -> None:
    """An undecorated run(data) gets a str: handing it to model.predict() fails on every request."""
    if run.decorator_list or not run.args.args:
        return
    raw = run.args.args[0].arg
    if raw in stored_names(run):
        return  # the body parses it into the same name
    for node in ast.walk(run):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _PREDICT
            and any(isinstance(a, ast.Name) and a.id == raw for a in node.args)
        ):
            report.add(
                "input-not-parsed",
                "error",
                node.lineno,
                f"run() passes `{raw}`, the raw request body (a str), straight to {dotted(node.func)}()",
                f"parse it first (`{raw} = json.loads({raw})`), or declare its type with @input_schema",
            )
            return


def check_entry_points(script: Script, report: LintReport) -> None:
    for name, fix in (
        ("init", "add `def init():` that loads the model once into a global"),
        ("run", "add `def run(raw_data):` that scores one request and returns a JSON-serializable value"),
    ):
        if not _defined_at_top(script.tree, name):
            report.add(f"missing-{name}", "error", 1, f"score.py has no top-level {name}() function", fix)
    init, run = script.functions.get("init"), script.functions.get("run")
    if init is not None:
        _check_init(init, report)
    if run is not None:
        _check_run(run, report)
        _check_blocking(run, report)
        _check_input_parsed(run, report)
