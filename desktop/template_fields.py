"""Signature text templates as the user sees them: named fields in braces
(``{signer}``, ``{date}``…) instead of the core's Python placeholders
(``%(signer)s``, ``%(ts)s``; see :mod:`signing.appearance.stamp`).

Settings and the core keep the core's syntax (presets saved by earlier
versions keep working); the editors show :func:`to_user` and sign with
:func:`to_core`. In the user's text a literal brace is written doubled
(``{{`` / ``}}``) where it would otherwise read as a field; a lone brace and
an unknown ``{name}`` stay literal; a ``%`` is always literal."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtWidgets import QMenu, QPlainTextEdit, QToolButton, QWidget

from desktop.i18n import tr_functions

_t, _tn = tr_functions("TemplateFields")

#: user token -> the core's placeholder name; the first five are offered by
#: "Insert field", the rest (labels in the signature's language) only read
_CORE_NAMES = {
    "signer": "signer",
    "date": "ts",
    "reason": "reason",
    "location": "location",
    "organisation": "organisation",
    "details": "details",
    "sep": "sep",
    "label_signer": "label_signer",
    "label_date": "label_date",
    "label_reason": "label_reason",
    "label_location": "label_location",
    "label_organisation": "label_organisation",
    "label_sealed_by": "label_sealed_by",
}
_USER_NAMES = {core: user for user, core in _CORE_NAMES.items()}

_USER_SYNTAX = re.compile(r"\{\{|\}\}|\{(\w+)\}|%")
_CORE_SYNTAX = re.compile(r"%%|%\((\w+)\)s|[{}]")


def to_core(text: str) -> str:
    """The user's template in the core's %-syntax."""

    def one(m: re.Match[str]) -> str:
        s = m.group(0)
        if s == "%":
            return "%%"
        if s in ("{{", "}}"):
            return s[0]
        core = _CORE_NAMES.get(m.group(1))
        return f"%({core})s" if core else s

    return _USER_SYNTAX.sub(one, text)


def to_user(template: str) -> str:
    """The core's template with named fields; ``to_core(to_user(t)) == t``
    for every template the core accepts."""

    def one(m: re.Match[str]) -> str:
        s = m.group(0)
        if s == "%%":
            return "%"
        if s in ("{", "}"):
            return s * 2
        name = m.group(1)
        return "{" + _USER_NAMES.get(name, name) + "}"

    return _CORE_SYNTAX.sub(one, template)


def field_labels() -> list[tuple[str, str]]:
    """(token, translated label) of the fields "Insert field" offers."""
    return [
        ("{signer}", _t("Signer's name")),
        ("{date}", _t("Date and time of signing")),
        ("{reason}", _t("Reason")),
        ("{location}", _t("Location")),
        ("{organisation}", _t("Organisation")),
    ]


def insert_field_button(edit: QPlainTextEdit, parent: QWidget | None = None) -> QToolButton:
    """A button whose menu inserts a field at the cursor of ``edit``."""
    button = QToolButton(parent)
    button.setText(_t("Insert field"))
    button.setObjectName("insertField")
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    menu = QMenu(button)
    for token, label in field_labels():
        action = menu.addAction(f"{label}  {token}")
        action.setData(token)
        action.triggered.connect(_inserter(edit, token))
    button.setMenu(menu)
    # (the menu arrow is drawn over the text otherwise)
    button.setMinimumWidth(button.sizeHint().width() + button.fontMetrics().horizontalAdvance("MM"))
    return button


def _inserter(edit: QPlainTextEdit, token: str) -> Callable[[], None]:
    def insert() -> None:
        edit.insertPlainText(token)
        edit.setFocus()

    return insert
