"""Development-only helpers that the tests and the benchmarks both use; not part of the shipped wheel.

Tests and benchmarks never import each other: what both need lives here, in one neutral place that each
puts on ``sys.path`` (pytest through ``pythonpath`` in pyproject.toml, a benchmark through the repository
root). ``simpy_autoscaler``: the SimPy reference model of the autoscaler simulator (needs ``simpy``, in the
``test`` extra). ``synthetic_logs``: realistic scoring-container logs with known failures buried in them.
"""
