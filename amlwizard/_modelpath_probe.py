"""Child process of the model-path inspector: calls the real ``Model.get_model_path`` with DEBUG logs.

Run as ``python -m amlwizard._modelpath_probe NAME VERSION_JSON`` in the container's environment
(``AML_APP_ROOT``, ``AZUREML_MODEL_DIR``, working folder); prints one JSON object on stdout.
"""

from __future__ import annotations

import io
import json
import logging
import os
import sys

__all__ = ["main"]


class _OneLine(logging.Formatter):
    """One line a record: azureml exceptions put their message on a "Message:" line below."""

    def format(self, record: logging.LogRecord) -> str:
        lines = [ln.strip() for ln in record.getMessage().splitlines() if ln.strip()]
        text = lines[0] if lines else ""
        if text.endswith(":") and len(lines) > 1:
            text = f"{text} {lines[1].removeprefix('Message:').strip()}"
        return f"{record.levelname} {text}"


def main() -> None:
    name, version = sys.argv[1], json.loads(sys.argv[2])
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(_OneLine())
    # only the resolver's own records; the swallowed Run-context error is noise here
    handler.addFilter(
        lambda r: r.name == "azureml.core.model" and "RunEnvironmentException" not in r.getMessage()
    )
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    result: dict[str, object] = {"cwd": os.getcwd()}
    try:
        from azureml.core import model as model_module

        result["models_dir"] = model_module.MODELS_DIR
        path = model_module.Model.get_model_path(name, version=version)
        result.update(path=path, absolute_path=os.path.abspath(path))
    except Exception as err:  # noqa: BLE001 - the exception IS the answer
        message = getattr(err, "message", None) or str(err)
        result.update(exception=type(err).__name__, message=str(message).strip())
    result["log"] = buffer.getvalue().splitlines()
    sys.stdout.write(json.dumps(result))


if __name__ == "__main__":
    main()
