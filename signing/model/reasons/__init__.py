"""The reason catalogue: every sentence a user reads about a signature, a
file, a trust column or a key about to sign, by stable code, in English and
Japanese side by side. Nothing else in the core builds a :class:`Reason`
from words of its own (tests/test_reason_catalogue.py holds it to that).

One function per code, each small: the sentence pair and a severity, built
from the fields the caller knows, never from a library's English prose, so
both languages say the same thing. ``code`` is stable: scripts, tests and
translators key on it. ``severity`` is how much the reason weighs on the
verdict; the engine may lower or raise it with :func:`dataclasses.replace`
when the context says so (for example a revocation after a proven signing
time). Japanese lists are joined with ``、`` (:func:`.text.ja_list`).

Strings passed in (subjects, sub-filters, service names, details) come from
hostile files and lists: they are kept verbatim here and escaped by whoever
renders them.

By topic:

- :mod:`.validation`: the file, the signature, its certificates, time,
  revocation, changes and the file's summary (re-exported here: the engine
  asks for them by code, :func:`signing.validation.verdict.reason`);
- :mod:`.limits`: the resource bounds of :mod:`signing.pdf.limits`
  (re-exported here too);
- :mod:`.changes`: what changed after a signature, named;
- :mod:`.qualification`: the EU column (codes ``eu-*``);
- :mod:`.japan`: the Japanese column (codes ``jp-*``);
- :mod:`.signing`: warnings before signing.
"""

from __future__ import annotations

from signing.model.reasons import changes as changes
from signing.model.reasons import japan as japan
from signing.model.reasons import limits as limits
from signing.model.reasons import qualification as qualification
from signing.model.reasons import signing as signing
from signing.model.reasons import validation as validation
from signing.model.reasons.limits import *  # noqa: F403
from signing.model.reasons.text import INTERNAL_TEXT as INTERNAL_TEXT
from signing.model.reasons.validation import *  # noqa: F403

__all__ = [*validation.__all__, *limits.__all__, "INTERNAL_TEXT"]

#: the topic modules, each with its constructors in ``__all__``
TOPICS = (validation, limits, changes, qualification, japan, signing)
