"""One difference analysis per signed revision of a file.

pyHanko analyses the changes after a signature from the revision it signed
to the end of the file. That answer depends only on the revision and the
locks in force (FieldMDP, DocMDP), not on which signature asks. Real files
have one signature per revision, but a forged one can hold thousands of
fields sharing one revision (copies of a signature under new names), each
costing a full analysis. This policy asks pyHanko once per revision and
lock, for one file (a new one per file: nothing is shared across files).

Used by :mod:`signing.validation.processes`; not a public API.
"""

from __future__ import annotations

from typing import Any

from pyhanko.sign.diff_analysis.policy_api import DiffPolicy

from signing.pdf.limits import check_time
from signing.validation.diff_rules import SHOMEI_DIFF_POLICY


class RevisionDiffs(DiffPolicy):  # type: ignore[misc]
    """:data:`SHOMEI_DIFF_POLICY` (pyHanko's default, timestamps counted as
    validation data), answering each file review once."""

    def __init__(self, inner: DiffPolicy = SHOMEI_DIFF_POLICY) -> None:
        self._inner = inner
        self._reviews: dict[tuple[int, str, Any], Any] = {}

    def apply(self, old: Any, new: Any, field_mdp_spec: Any = None, doc_mdp: Any = None) -> Any:
        check_time()  # (once per pair of revisions compared)
        return self._inner.apply(old, new, field_mdp_spec, doc_mdp)

    def review_file(
        self, reader: Any, base_revision: Any, field_mdp_spec: Any = None, doc_mdp: Any = None
    ) -> Any:
        if not isinstance(base_revision, int):  # (a resolver: not a key)
            return self._inner.review_file(reader, base_revision, field_mdp_spec, doc_mdp)
        key = (base_revision, repr(field_mdp_spec), doc_mdp)
        if key not in self._reviews:
            # (an exception is not kept: the next signature asks again)
            self._reviews[key] = self._inner.review_file(
                reader, base_revision, field_mdp_spec, doc_mdp
            )
        return self._reviews[key]


__all__ = ["RevisionDiffs"]
