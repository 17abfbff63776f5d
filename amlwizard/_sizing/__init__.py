"""The parts of sizing.py: the guide formula, Erlang C, traffic, the autoscaler simulator, the search."""
