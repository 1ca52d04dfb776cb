"""Signature text templates with named fields ({signer}, {date}…) in the
editors, the core's %(name)s syntax underneath: both directions, literal
percent signs and braces, saved presets, the Insert field menu."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.settings import DEFAULT_PRESETS
from desktop.sign_view import SignView
from desktop.template_fields import field_labels, to_core, to_user
from signing.appearance.stamp import (
    DEFAULT_SEAL_TEMPLATE,
    DEFAULT_SIGN_TEMPLATE,
    check_template,
)
from tests.gui_helpers import make_pdf, make_window, wait_idle

pytestmark = pytest.mark.gui


@pytest.mark.parametrize(
    ("user", "core"),
    [
        ("Signed by {signer}\n{date}", "Signed by %(signer)s\n%(ts)s"),
        ("署名者: {signer}\n日時: {date}", "署名者: %(signer)s\n日時: %(ts)s"),
        ("{organisation} / {reason} @ {location}", "%(organisation)s / %(reason)s @ %(location)s"),
        ("100% sure {signer}", "100%% sure %(signer)s"),
        ("{{signer}} is literal", "{signer} is literal"),
        ("a { b } c {unknown}", "a { b } c {unknown}"),
        ("%(signer)s typed the old way", "%%(signer)s typed the old way"),
        ("", ""),
    ],
)
def test_user_tokens_become_core_placeholders(user: str, core: str) -> None:
    assert to_core(user) == core
    check_template(core)  # the core accepts every result


@pytest.mark.parametrize(
    "core",
    [
        DEFAULT_SIGN_TEMPLATE,
        DEFAULT_SEAL_TEMPLATE,
        *(p.template for p in DEFAULT_PRESETS),
        "100%% {x} }} {{ %(signer)s%%(ts)s",
        "判子 %(label_signer)s%(sep)s%(signer)s 様",
    ],
)
def test_core_templates_round_trip_through_the_editor(core: str) -> None:
    user = to_user(core)
    assert "%(" not in user or "%%(" in core  # (a literal "%(ts)s" stays literal)
    assert to_core(user) == core


def test_to_user_shows_named_fields() -> None:
    assert to_user("Signed by %(signer)s\n%(ts)s") == "Signed by {signer}\n{date}"
    assert to_user("50%% {x}") == "50% {{x}}"


def test_editor_shows_tokens_and_signs_with_the_core_syntax(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(qtbot, tmp_path, monkeypatch, jp_trust=False)
    window.open_sign_view(str(make_pdf(tmp_path / "in.pdf")), seal=False)
    view = window.sign_view
    assert isinstance(view, SignView)
    # a preset saved in the core's syntax shows as named fields
    assert view.template_edit.toPlainText() == "Signed by {signer}\n{date}"
    view.template_edit.setPlainText("OK 100% ")
    menu = view.insert_field.menu()
    actions = menu.actions()
    assert [a.data() for a in actions] == [token for token, _l in field_labels()]
    assert "Signer's name" in actions[0].text()
    view.template_edit.moveCursor(view.template_edit.textCursor().MoveOperation.End)
    actions[0].trigger()  # {signer} at the cursor
    assert view.template_edit.toPlainText() == "OK 100% {signer}"
    assert view.build_job().appearance.template == "OK 100%% %(signer)s"
    # the preview (the core's stamp, rendered) fills the field and shows one percent sign
    view.preview.place_default_box()
    qtbot.waitUntil(
        lambda: (
            view.stamps.current is not None and view.stamps.current.request == view.stamp_request()
        ),
        timeout=30_000,
    )
    shown = " ".join(view.stamps.current.text().split())
    assert shown.startswith("OK 100% Sample Signer"), shown
    wait_idle(qtbot)
