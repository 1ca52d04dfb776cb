"""How a verdict looks: icon, words and palette-aware colours.

Never colour alone: every verdict has an icon shape (check, exclamation,
question, cross) and words. Colours are blended with the current palette so
dark mode keeps its contrast.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap

from desktop.i18n import current_language
from signing.model.labels import label
from signing.model.results import Verdict

_BASE = {
    Verdict.VALID: QColor(0x1E, 0x8E, 0x3E),
    Verdict.VALID_WITH_WARNINGS: QColor(0xC7, 0x7C, 0x02),
    Verdict.INDETERMINATE: QColor(0xC7, 0x7C, 0x02),
    Verdict.INVALID: QColor(0xC5, 0x22, 0x1F),
}


def verdict_words(verdict: Verdict) -> str:
    """The verdict in the core's words (the reports and the CLI say the same)."""
    return label(verdict, "ja" if current_language() == "ja" else "en")


def accent(verdict: Verdict) -> QColor:
    return QColor(_BASE[verdict])


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def banner_colours(verdict: Verdict, palette: QPalette) -> tuple[QColor, QColor]:
    """(background, border) for a banner on ``palette``."""
    window = palette.color(QPalette.ColorRole.Window)
    base = _BASE[verdict]
    mix = 0.30 if is_dark(palette) else 0.16
    bg = QColor(
        round(window.red() * (1 - mix) + base.red() * mix),
        round(window.green() * (1 - mix) + base.green() * mix),
        round(window.blue() * (1 - mix) + base.blue() * mix),
    )
    border = base.lighter(140) if is_dark(palette) else base
    return bg, border


def verdict_pixmap(verdict: Verdict, size: int = 32, dpr: float = 1.0) -> QPixmap:
    pm = QPixmap(round(size * dpr), round(size * dpr))
    pm.setDevicePixelRatio(dpr)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = _BASE[verdict]
    r = QRectF(1, 1, size - 2, size - 2)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour)
    if verdict is Verdict.VALID_WITH_WARNINGS or verdict is Verdict.INDETERMINATE:
        tri = QPainterPath()
        tri.moveTo(size / 2, 1)
        tri.lineTo(size - 1, size - 2)
        tri.lineTo(1, size - 2)
        tri.closeSubpath()
        p.drawPath(tri)
    else:
        p.drawEllipse(r)
    pen = QPen(Qt.GlobalColor.white, max(2.0, size / 9))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    s = size
    if verdict is Verdict.VALID:
        path = QPainterPath(QPointF(s * 0.28, s * 0.52))
        path.lineTo(s * 0.44, s * 0.68)
        path.lineTo(s * 0.73, s * 0.34)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
    elif verdict is Verdict.INVALID:
        p.drawLine(QPointF(s * 0.33, s * 0.33), QPointF(s * 0.67, s * 0.67))
        p.drawLine(QPointF(s * 0.67, s * 0.33), QPointF(s * 0.33, s * 0.67))
    elif verdict is Verdict.VALID_WITH_WARNINGS:
        p.drawLine(QPointF(s / 2, s * 0.38), QPointF(s / 2, s * 0.62))
        p.drawPoint(QPointF(s / 2, s * 0.80))
    else:
        font = p.font()
        font.setBold(True)
        font.setPixelSize(round(s * 0.5))
        p.setFont(font)
        p.drawText(QRectF(0, s * 0.2, s, s * 0.75), Qt.AlignmentFlag.AlignCenter, "?")
    p.end()
    return pm


def verdict_icon(verdict: Verdict) -> QIcon:
    icon = QIcon()
    for size in (16, 24, 32, 48):
        icon.addPixmap(verdict_pixmap(verdict, size))
    return icon
