"""One module per `popdash` command, each with `run(args) -> int`."""
