"""The public API is small and stays put; importing the package stays light."""

import subprocess
import sys

import amlwizard


def test_public_names_resolve():
    for name in amlwizard.__all__:
        assert getattr(amlwizard, name) is not None, name


def test_import_is_light():
    # %load_ext must stay fast: no azureml, azure.ai.ml, plotly, pandas or ipywidgets at package import,
    # nor when the public names (amlwizard.capture...) are resolved.
    code = (
        "import sys, amlwizard; amlwizard.capture; amlwizard.Capture; "
        "heavy = [m for m in ('azureml', 'azure.ai.ml', 'azure.core', 'plotly', 'pandas', 'numpy', 'ipywidgets')"
        " if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_cli_help_lists_every_command():
    out = subprocess.run([sys.executable, "-m", "amlwizard", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    for command in (
        "diagnose",
        "catalogue",
        "size",
        "simulate",
        "services",
        "endpoints",
        "logs",
        "emulator",
        "serve",
        "model-path",
        "lint",
    ):
        assert command in out.stdout


def test_cli_unknown_option_is_one_line_and_exit_2():
    out = subprocess.run(
        [sys.executable, "-m", "amlwizard", "size", "--no-such-option"], capture_output=True, text=True
    )
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1
