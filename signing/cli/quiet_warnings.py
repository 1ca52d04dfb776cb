"""Keep Python warnings off a user's terminal.

A library's deprecation notice (cryptography 51 warns about DSA as soon as
pyHanko is imported) is addressed to us, not to the person signing a file, and
it would break the "one line on stderr" promise of the command line. Our own
tests still see them: pytest turns deprecations in our code into errors
(pyproject.toml), and ``SHOMEI_SHOW_WARNINGS=1`` or any ``-W`` option brings
everything back for a developer.
"""

from __future__ import annotations

import os
import sys
import warnings


def quiet_third_party_warnings(*, children: bool = False) -> None:
    """Keep Python warnings off the terminal of a user's run; ``children``:
    also in the processes this one starts (set by the program's entry point
    only: it changes the environment)."""
    if sys.warnoptions or os.environ.get("SHOMEI_SHOW_WARNINGS"):
        return
    # Shomei tells users things in its own messages, never through Python
    # warnings; a library's warning (cryptography's DSA deprecation, a
    # certificate's over-long country name) may be attributed to our module
    # that called it, so all of them are kept for developers.
    warnings.filterwarnings("ignore")
    if children:
        # the worker processes validation starts do not inherit filters
        os.environ["PYTHONWARNINGS"] = "ignore"
