"""Shomei's core: sign, seal, timestamp and validate PDFs. No Qt here.

The public API lives in :mod:`signing.api`; this package import stays cheap so
that the command line and the desktop app start fast (pyHanko is imported only
when work is actually done).
"""

__version__ = "0.1.0"
