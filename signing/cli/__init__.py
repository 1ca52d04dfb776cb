"""The ``shomei`` command line: every subcommand is a thin layer over
:mod:`signing.api`. Errors become one line on stderr in exactly one place
(:func:`signing.cli.main.main`)."""
