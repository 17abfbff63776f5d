"""One module per ``amlwizard`` sub-command: ``add_arguments(parser)`` and ``run(args) -> int``."""
