"""Keep other libraries' warnings off a user's terminal.

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

#: modules whose warnings are ours to show
_OURS = r"(signing|desktop)(\.|$)"


def quiet_third_party_warnings() -> None:
    """Silence warnings raised on behalf of any module but Shomei's own."""
    if sys.warnoptions or os.environ.get("SHOMEI_SHOW_WARNINGS"):
        return
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=PendingDeprecationWarning)
    # Any other category (cryptography's deprecations are UserWarnings) when a
    # library module is the one it is attributed to.
    warnings.filterwarnings("ignore", module=rf"(?!{_OURS})")
