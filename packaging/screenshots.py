"""Screenshots of the desktop app for the README, in English and Japanese.

Runs the real app against the test PKI (tests/pki.py): a PDF is signed with
the core, validated by the engine (green), an attack file from the shared
corpus is validated (red), the sign screen gets a placed box, and the
settings dialog is opened. Then real files of the shared corpus: an EU
qualified signature validated green as of a date when the bundled trusted
lists were current (Settings › Validation), a signed issue of Japan's
Official Gazette with its Japanese status, and a file with a page added after
signing with its headline. Writes small PNGs to docs/screenshots/.

The corpus files shown (their licences allow redistribution; see each
MANIFEST.tsv or README.md in ../shared/corpus): siva__hellopades-lt-sha512.pdf
(open-eid/SiVa-Test, EUPL-1.1), 20250703c00122full00010040.pdf (a public
government document kept by testkun08080/action-kanpo, MIT) and
dss__validation__pdf-signed-added-page.pdf (esig/dss, LGPL-2.1).

    .venv/bin/python packaging/screenshots.py            # offscreen
    .venv/bin/python packaging/screenshots.py --xvfb     # under Xvfb (xvfb-run)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"
ATTACK = "dss__validation__siwa.pdf"
SIZE = (1000, 680)
#: a real EU QES (Estonian ID card, SK's CA) and when to validate it: the
#: bundled lists were current then (no list past its next update)
EU_QES = "siva__hellopades-lt-sha512.pdf"
EU_AS_OF = "2026-08-04T00:00:00+00:00"
#: Official Gazette (官報) No. 122 of 2025-07-03: the Cabinet Office's signature
#: and Amano's accredited document timestamp
JP_GAZETTE = "20250703c00122full00010040.pdf"
#: a page added after signing
TAMPERED = "dss__validation__pdf-signed-added-page.pdf"


def _shared() -> Path:
    return Path(os.environ.get("SHOMEI_SHARED", REPO.parent / "shared"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--xvfb", action="store_true", help="run under xvfb-run instead of offscreen")
    args = ap.parse_args()
    if args.xvfb and "DISPLAY" not in os.environ:
        xvfb = shutil.which("xvfb-run")
        if xvfb is None:
            raise SystemExit("xvfb-run not found (apt install xvfb)")
        cmd = [xvfb, "-a", "-s", "-screen 0 1280x900x24", sys.executable, __file__, "--xvfb"]
        return subprocess.call(cmd, env=dict(os.environ, QT_QPA_PLATFORM="xcb"))
    if not args.xvfb:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    sys.path.insert(0, str(REPO))
    with tempfile.TemporaryDirectory() as tmp:
        return _shoot(Path(tmp))


def _shoot(tmp: Path) -> int:
    os.environ["SHOMEI_CACHE_DIR"] = str(tmp / "cache")
    from dataclasses import replace

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QWidget

    from desktop.app import setup_window
    from desktop.i18n import install_language, load_japanese_fonts
    from desktop.settings import AppSettings, SettingsStore
    from desktop.workers import running_ops
    from signing.sign.request import FieldPlacement, Level
    from tests.gui_helpers import make_pdf
    from tests.pki import start_pki
    from tests.sign_helpers import sign_with_pki

    app = QApplication.instance() or QApplication([])
    pki = start_pki(tmp / "pki")
    try:
        contract = make_pdf(tmp / "contract.pdf", pages=2)
        signed = tmp / "contract-signed.pdf"
        sign_with_pki(
            pki, contract, signed, Level.B_LT, FieldPlacement(page=1, box=(360, 60, 560, 130))
        )
        attack = _shared() / "corpus" / "attacks" / ATTACK
        # (copied: the screens show the file's path, a short one reads better)
        corpus = _shared() / "corpus"
        eu_qes = Path(shutil.copy(corpus / "eu" / "pdf" / EU_QES, tmp / EU_QES))
        gazette = Path(shutil.copy(corpus / "jp" / JP_GAZETTE, tmp / JP_GAZETTE))
        tampered = Path(shutil.copy(corpus / "attacks" / TAMPERED, tmp / TAMPERED))
        OUT.mkdir(parents=True, exist_ok=True)

        def wait() -> None:
            # the work, then what starts after a first paint (the verdict
            # screen's pages and field places load then), then its work
            for _round in range(2):
                while running_ops():
                    app.processEvents()
                settle = time.monotonic() + 0.8
                while time.monotonic() < settle:
                    app.processEvents()

        def save(widget: QWidget, name: str) -> None:
            app.processEvents()
            pixmap = widget.grab()
            if pixmap.width() > SIZE[0]:
                pixmap = pixmap.scaledToWidth(SIZE[0], Qt.TransformationMode.SmoothTransformation)
            path = OUT / f"{name}.png"
            pixmap.save(str(path), "PNG", 9)
            print(f"{path.relative_to(REPO)}  {path.stat().st_size // 1024} KiB")

        for lang in ("en", "ja"):
            settings = replace(
                AppSettings(),
                language=lang,
                eu_trust=False,
                user_anchors=(str(pki.cert_pem_path("root")),),
            )
            store = SettingsStore(str(tmp / f"settings-{lang}.ini"))
            store.save(settings)
            window = setup_window(store, settings)
            window.resize(*SIZE)
            window.show()
            load_japanese_fonts()  # (as the app does after its first paint)
            wait()
            save(window, f"{lang}-home")
            window.open_paths([str(signed)])
            wait()
            save(window, f"{lang}-valid")
            window.open_paths([str(attack)])
            wait()
            save(window, f"{lang}-invalid")
            window.open_sign_view(str(contract), seal=False)
            view = window.sign_view
            view.key_file.setText(str(pki.p12_path("signer-rsa")))  # type: ignore[attr-defined]
            view.preview.place_default_box()  # type: ignore[attr-defined]
            wait()
            save(window, f"{lang}-sign")
            window.open_settings()
            dialog = window.settings_dialog
            assert dialog is not None
            dialog.resize(760, 560)
            dialog.tabs.setCurrentIndex(2)  # type: ignore[attr-defined]  (trust status)
            wait()
            save(dialog, f"{lang}-settings")
            dialog.close()
            wait()
            # the EU lists on, validated as of a date when they were current
            window.apply_settings(replace(settings, eu_trust=True, validation_time=EU_AS_OF))
            window.open_paths([str(eu_qes)])
            wait()
            _select_first_card(window, "eu")
            wait()
            save(window, f"{lang}-eu-qes")
            # now again, the Japanese list only: its status is the point (the
            # EU lists, stale today, would fill the banner with their dates)
            window.apply_settings(settings)
            window.open_paths([str(gazette)])
            wait()
            _select_first_card(window, "jp")
            wait()
            save(window, f"{lang}-japan")
            window.open_paths([str(tampered)])
            wait()
            save(window, f"{lang}-tampered")
            window.close()
            wait()
        install_language("en")
    finally:
        pki.stop()
    return 0


def _select_first_card(window: object, row: str) -> None:
    """The first signature selected (the document shows its page and field),
    its ``row`` ("eu", "jp") scrolled into sight."""
    from PySide6.QtWidgets import QLabel

    view = window.validation_view  # type: ignore[attr-defined]
    if view.cards:
        card = view.cards[0]
        view.select_card(card)
        label = card.findChild(QLabel, row)
        if label is not None:
            view.scroll_area.ensureWidgetVisible(label, 0, 40)


if __name__ == "__main__":
    sys.exit(main())
