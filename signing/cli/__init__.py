"""The ``shomei`` command line: every subcommand is a thin layer over
:mod:`signing.api` (argument parsing and rendering). Errors become one line on
stderr in exactly one place (:func:`signing.cli.main.main`). The executable's
entry point is :func:`desktop.launcher.main`: a subcommand runs here, the
desktop app is imported only for a window.

May import: :mod:`signing.api`, :mod:`signing.errors` and the plain types of
:mod:`signing.model` (tests/test_architecture.py holds it to that)."""
