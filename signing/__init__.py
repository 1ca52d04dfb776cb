"""Shomei's core: sign, seal, timestamp and validate PDFs. No Qt here.

The public API lives in :mod:`signing.api`; this package import stays cheap so
that the command line and the desktop app start fast (pyHanko is imported only
when work is actually done).
"""

__version__ = "0.1.0"

from signing import lazy_pyhanko

# before anything of the core imports pyHanko: the same pyhanko.sign in every
# import order (a validation then a signature, or the other way round)
lazy_pyhanko.install()
