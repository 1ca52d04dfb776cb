"""A live preview of the visible signature's appearance, drawn with QPainter
(text template, optional image or hanko, Japanese text)."""

from __future__ import annotations

import re
from datetime import datetime

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop.i18n import japanese_font_family
from signing.model.text import has_japanese

#: the labels the core's stamp uses (signing.appearance.stamp.LABELS), for the
#: preview only: importing the core's module would load pyHanko on the GUI thread
_LABELS = {
    "en": {"label_signer": "Signed by", "label_date": "Date", "label_reason": "Reason",
           "label_location": "Location", "label_organisation": "Organisation",
           "label_sealed_by": "Sealed by", "sep": ": "},
    "ja": {"label_signer": "署名者", "label_date": "日時", "label_reason": "理由",
           "label_location": "場所", "label_organisation": "組織",
           "label_sealed_by": "電子印", "sep": "："},
}  # fmt: skip


def fill_template(
    template: str,
    signer: str,
    when: datetime | None = None,
    *,
    reason: str = "",
    location: str = "",
    organisation: str = "",
) -> str:
    """The template with its placeholders filled as the core will fill them
    (labels in Japanese when any text is Japanese); unknown ones stay."""
    ts = (when or datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M:%S %Z")
    japanese = any(has_japanese(t) for t in (template, signer, reason, location, organisation))
    values = dict(_LABELS["ja" if japanese else "en"])
    values.update(signer=signer, ts=ts, reason=reason, location=location,
                  organisation=organisation, details="")  # fmt: skip

    def one(m: re.Match[str]) -> str:
        if m.group(0) == "%%":
            return "%"  # (a literal percent sign, as the core writes it)
        return values.get(m.group(1), m.group(0))

    return re.sub(r"%%|%\((\w+)\)s", one, template)


def paint_appearance(
    painter: QPainter,
    rect: QRectF,
    text: str,
    image: QImage | None = None,
    ink: QColor | None = None,
) -> None:
    """Draw the stamp: image on the left third when given, text fitted."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    text_rect = QRectF(rect).adjusted(3, 3, -3, -3)
    if image is not None and not image.isNull():
        side = min(rect.height() - 6, rect.width() / 3)
        img_rect = QRectF(rect.left() + 3, rect.center().y() - side / 2, side, side)
        scaled = image.size().scaled(
            QSize(round(side), round(side)), Qt.AspectRatioMode.KeepAspectRatio
        )
        img_rect.setSize(scaled.toSizeF())
        painter.drawImage(img_rect, image)
        text_rect.setLeft(img_rect.right() + 4)
    font = QFont(painter.font())
    family = japanese_font_family()
    if family:  # the stamp's serif face first: the UI's (a Gothic in Japanese) is not the output's
        font.setFamilies([family, font.family()])
    lines = text.splitlines() or [""]
    size = max(4.0, min(text_rect.height() / (len(lines) * 1.3), 14.0))
    font.setPixelSize(round(size))
    painter.setFont(font)
    while (
        size > 4
        and painter.fontMetrics().horizontalAdvance(max(lines, key=len)) > text_rect.width()
    ):
        size -= 0.5
        font.setPixelSize(round(size))
        painter.setFont(font)
    painter.setPen(QPen(ink or QColor(0, 0, 0)))
    painter.drawText(
        text_rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text
    )
    painter.restore()


class AppearancePreview(QWidget):
    """Shows the appearance at the aspect ratio of the placed box."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("appearancePreview")
        self.setAccessibleName(self.tr("Signature appearance preview"))
        self.setMinimumSize(200, 80)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.text = ""
        self.image: QImage | None = None
        self.aspect = 2.5

    def set_content(self, text: str, image_path: str | None, aspect: float | None) -> None:
        self.text = text
        self.image = QImage(image_path) if image_path else None
        if aspect and aspect > 0:
            self.aspect = aspect
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(260, 100)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        w = min(self.width() - 2, (self.height() - 2) * self.aspect)
        h = w / self.aspect
        rect = QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)
        p.fillRect(rect, QColor(255, 255, 255))
        p.setPen(QPen(self.palette().color(QPalette.ColorRole.Mid), 1, Qt.PenStyle.DashLine))
        p.drawRect(rect)
        paint_appearance(p, rect, self.text, self.image)
        p.end()
