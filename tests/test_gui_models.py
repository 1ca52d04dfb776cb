"""Desktop pieces without a window: the batch table model and its proxy, the
widget <-> PDF coordinate conversion, the settings store across restarts,
the .ts fallback translator."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from desktop.batch import SORT_ROLE, BatchFilterProxy, BatchTableModel
from desktop.geometry import PageGeometry
from desktop.i18n import TsTranslator
from desktop.settings import (
    SETTINGS_VERSION,
    AppearancePreset,
    AppSettings,
    SettingsStore,
    TsaServer,
)
from signing.model.results import Verdict
from tests.gui_helpers import file_result, signature

pytestmark = pytest.mark.gui


@pytest.fixture
def model(qapp: object) -> BatchTableModel:
    m = BatchTableModel()
    m.set_paths(["/d/a.pdf", "/d/b.pdf", "/d/c.pdf"])
    return m


def _column(model: object, name: str) -> int:
    return BatchTableModel.COLUMNS.index(name)


def test_batch_model_rows_fill_as_results_arrive(model: BatchTableModel) -> None:
    verdict_col = _column(model, "verdict")
    assert model.rowCount() == 3
    assert model.data(model.index(0, verdict_col)) == "Waiting…"
    model.add_result(file_result("/d/b.pdf", Verdict.INVALID, signature(Verdict.INVALID)))
    assert model.data(model.index(1, verdict_col)) == "Invalid"
    assert model.data(model.index(1, _column(model, "signer"))) == "Alice Example"
    assert model.data(model.index(1, _column(model, "signatures"))) == "1"
    assert model.data(model.index(1, 0), Qt.ItemDataRole.ToolTipRole) == "/d/b.pdf"
    # a result for a file not listed yet is appended
    model.add_result(file_result("/d/new.pdf", Verdict.VALID, signature()))
    assert model.rowCount() == 4
    assert model.summary() == (
        "4 files, 2 checked, 1 valid, 0 with warnings, 0 cannot be confirmed, 1 NOT valid"
    )
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children
    assert model.columnCount(QModelIndex()) == len(BatchTableModel.COLUMNS)


def test_batch_proxy_sorts_worst_first_and_filters(model: BatchTableModel) -> None:
    model.add_result(file_result("/d/a.pdf", Verdict.VALID, signature()))
    model.add_result(file_result("/d/b.pdf", Verdict.INVALID, signature(Verdict.INVALID)))
    model.add_result(
        file_result("/d/c.pdf", Verdict.VALID_WITH_WARNINGS, signature(name="Bob Sample"))
    )
    proxy = BatchFilterProxy()
    proxy.setSourceModel(model)
    col = _column(model, "verdict")
    proxy.sort(col, Qt.SortOrder.DescendingOrder)
    order = [proxy.data(proxy.index(r, 0)) for r in range(proxy.rowCount())]
    assert order == ["b.pdf", "c.pdf", "a.pdf"]
    assert proxy.data(proxy.index(0, col), SORT_ROLE) == int(Verdict.INVALID)

    proxy.setFilterFixedString("bob")
    assert [proxy.data(proxy.index(r, 0)) for r in range(proxy.rowCount())] == ["c.pdf"]
    proxy.setFilterFixedString("")
    proxy.set_verdict_filter(frozenset({Verdict.VALID}))
    assert [proxy.data(proxy.index(r, 0)) for r in range(proxy.rowCount())] == ["a.pdf"]
    proxy.set_verdict_filter(None)
    assert proxy.rowCount() == 3


def test_geometry_widget_to_pdf_points_origin_bottom_left() -> None:
    # A4 drawn at 150 % with the page's top-left corner at (20, 30)
    g = PageGeometry(width_pt=595, height_pt=842, scale=1.5, origin_x=20, origin_y=30)
    # top-left of the page is (0, 842) in PDF space
    assert g.to_pdf(20, 30) == (0, 842)
    # bottom-right of the page is (595, 0)
    assert g.to_pdf(20 + 595 * 1.5, 30 + 842 * 1.5) == (595, 0)
    # a drag from lower-right to upper-left still gives x1 < x2, y1 < y2
    box = g.rect_to_pdf(20 + 300, 30 + 1200, 20 + 150, 30 + 1125)
    assert box == pytest.approx((100, 842 - 800, 200, 842 - 750))
    # outside the page is clamped to it
    assert g.to_pdf(-50, -50) == (0, 842)
    # and back
    left, top, w, h = g.box_to_widget(box)
    assert (left, top, w, h) == pytest.approx((170, 30 + 1125, 150, 75))


def test_geometry_round_trip_at_other_zoom_and_size() -> None:
    g = PageGeometry(width_pt=612, height_pt=792, scale=0.5, origin_x=7, origin_y=9)
    box = (72.0, 72.0, 272.0, 142.0)
    left, top, w, h = g.box_to_widget(box)
    assert g.rect_to_pdf(left, top, left + w, top + h) == pytest.approx(box)


def test_settings_survive_a_restart(tmp_path: Path, qapp: object) -> None:
    ini = tmp_path / "settings.ini"
    changed = replace(
        AppSettings(),
        language="ja",
        default_level="B-LTA",
        tsa_servers=(TsaServer("Local", "http://127.0.0.1:9/tsa"),),
        default_tsa="http://127.0.0.1:9/tsa",
        eu_trust=False,
        eu_territories=("BE", "JP"),
        user_anchors=("/etc/ssl/root.pem",),
        proxy_mode="manual",
        proxy_host="proxy.example",
        proxy_port=3128,
        proxy_user="alice",
        timeout_s=42,
        pkcs11_modules=("/usr/lib/softhsm/libsofthsm2.so",),
        appearance_presets=(AppearancePreset("判子", "署名: %(signer)s", "/tmp/hanko.png"),),
    )
    SettingsStore(str(ini)).save(changed)
    loaded = SettingsStore(str(ini)).load()
    assert loaded.language == "ja"
    assert loaded.default_level == "B-LTA"
    assert loaded.tsa_servers == (TsaServer("Local", "http://127.0.0.1:9/tsa"),)
    assert loaded.eu_trust is False
    assert loaded.eu_territories == ("BE", "JP")
    assert loaded.proxy_port == 3128 and loaded.proxy_user == "alice"
    assert loaded.timeout_s == 42
    assert loaded.appearance_presets[0].name == "判子"
    text = ini.read_text(encoding="utf-8")
    assert f"version={SETTINGS_VERSION}" in text
    assert "password" not in text.lower()


def test_settings_damaged_values_fall_back(tmp_path: Path, qapp: object) -> None:
    ini = tmp_path / "s.ini"
    ini.write_text(
        "[General]\nversion=1\nlanguage=klingon\ntimeout_s=abc\ntsa_servers=[broken\n"
        "default_level=B-LT\n",
        encoding="utf-8",
    )
    s = SettingsStore(str(ini)).load()
    assert s.language == "system"
    assert s.timeout_s == AppSettings().timeout_s
    assert s.tsa_servers == AppSettings().tsa_servers
    assert s.default_level == "B-LT"


def test_settings_failover_servers_are_listed_ones(tmp_path: Path, qapp: object) -> None:
    """Version 3 files have no failover (the chosen server only, as before);
    a failover URL that is not a listed server, or listed twice, is dropped."""
    ini = tmp_path / "s.ini"
    ini.write_text("[General]\nversion=3\n", encoding="utf-8")
    assert SettingsStore(str(ini)).load().tsa_failover == ()
    listed = [s.url for s in AppSettings().tsa_servers]
    odd = (listed[2], "http://not-listed.test/", listed[0], listed[2])
    SettingsStore(str(ini)).save(replace(AppSettings(), tsa_failover=odd))  # as a hand edit
    assert SettingsStore(str(ini)).load().tsa_failover == (listed[2], listed[0])


def test_ts_translator_reads_finished_messages(tmp_path: Path) -> None:
    ts = tmp_path / "x.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="ja_JP">'
        "<context><name>HomeView</name>"
        "<message><source>&amp;Open…</source><translation>開く(&amp;O)…</translation></message>"
        '<message><source>Todo</source><translation type="unfinished">未</translation></message>'
        "</context></TS>",
        encoding="utf-8",
    )
    t = TsTranslator(ts)
    assert t.translate("HomeView", "&Open…") == "開く(&O)…"
    assert t.translate("HomeView", "Todo") is None
    assert t.translate("Other", "&Open…") is None
