"""Compare a signed revision with the current file, page by page, as the user
sees them: both rendered by QtPdf at a modest size, a page counts as changed
when any pixel differs (or it exists in one version only, or its size
changed). Runs in a worker (desktop.workers.Op): each call has its own
QPdfDocuments, and QtPdf serialises PDFium itself.

The pane passes both versions as the page view shows them: copies whose
pages paint the signature widgets' appearances (PDFium draws no widgets by
itself), so a stamp that differs is a change. Other form fields' widgets are
left out, as in the page view: the validation's "changed after signing"
finding covers those.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions

from signing.errors import DocumentError

#: the rendered width of a page for the comparison, in pixels
COMPARE_WIDTH = 400


class _Loaded:
    """A document loaded from a path or from bytes (the buffer lives as long
    as the document reads it)."""

    def __init__(self, source: str | bytes) -> None:
        self.document = QPdfDocument()
        self.buffer: QBuffer | None = None
        if isinstance(source, bytes):
            self.buffer = QBuffer()
            self.buffer.setData(QByteArray(source))
            self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            self.document.load(self.buffer)
        else:
            self.document.load(source)

    @property
    def pages(self) -> int:
        if self.document.status() != QPdfDocument.Status.Ready:
            return 0
        return self.document.pageCount()

    def render(self, page: int) -> QImage:
        points = self.document.pagePointSize(page)
        height = round(COMPARE_WIDTH * points.height() / points.width()) if points.width() else 0
        options = QPdfDocumentRenderOptions()
        options.setRenderFlags(QPdfDocumentRenderOptions.RenderFlag.Annotations)
        return self.document.render(page, QSize(COMPARE_WIDTH, max(1, height)), options)

    def close(self) -> None:
        self.document.close()
        if self.buffer is not None:
            self.buffer.close()


def changed_pages(
    signed: bytes,
    current: str | bytes,
    cancel: threading.Event | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> frozenset[int]:
    """The 0-based pages whose rendering differs between the ``signed``
    revision and the ``current`` file (a path or its bytes). Pages present in
    only one of them count as changed. Raises DocumentError when either
    cannot be opened by QtPdf."""
    before, after = _Loaded(signed), _Loaded(current)
    try:
        if before.pages == 0 or after.pages == 0:
            which = "signed version" if before.pages == 0 else "current file"
            which_ja = "署名された版" if before.pages == 0 else "現在のファイル"
            raise DocumentError(
                f"The pages cannot be compared: the {which} cannot be shown.",
                ja=f"ページを比較できません：{which_ja}を表示できません。",
            )
        total = max(before.pages, after.pages)
        changed = set(range(min(before.pages, after.pages), total))
        for page in range(min(before.pages, after.pages)):
            if cancel is not None and cancel.is_set():
                break
            if progress is not None:
                progress(page, total, "")
            a, b = before.render(page), after.render(page)
            if a.isNull() or b.isNull() or a != b:
                changed.add(page)
        return frozenset(changed)
    finally:
        before.close()
        after.close()
