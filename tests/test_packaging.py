"""Desktop integration files are valid, and the frozen bundle and the .deb
build, install and run on this machine."""

from __future__ import annotations

import json
import os
import plistlib
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD, PKI

REPO = Path(__file__).resolve().parent.parent
LINUX = REPO / "packaging" / "linux"
APP_ID = "app.shomei.Shomei"


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is not installed (packaging/setup.sh --test installs it)")
    return path


def test_desktop_entry_is_valid() -> None:
    entry = LINUX / f"{APP_ID}.desktop"
    res = subprocess.run(
        [_need("desktop-file-validate"), str(entry)], capture_output=True, text=True
    )
    assert res.returncode == 0, res.stdout + res.stderr
    text = entry.read_text(encoding="utf-8")
    # "Open with" for PDFs, files passed as a list, Japanese name too.
    assert "MimeType=application/pdf;" in text
    assert "Exec=shomei %F" in text
    assert "Name[ja]=" in text and "Comment[ja]=" in text
    assert "[Desktop Action validate]" in text


def test_appstream_metainfo_is_valid() -> None:
    res = subprocess.run(
        [_need("appstreamcli"), "validate", "--no-net", str(LINUX / f"{APP_ID}.metainfo.xml")],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stdout + res.stderr


def test_macos_plist_opens_pdfs_without_taking_the_default() -> None:
    info = plistlib.loads((REPO / "packaging" / "macos" / "Info.plist").read_bytes())
    (doc_type,) = info["CFBundleDocumentTypes"]
    assert "com.adobe.pdf" in doc_type["LSItemContentTypes"]
    assert doc_type["LSHandlerRank"] == "Alternate"


def test_windows_installer_never_sets_the_default_pdf_handler() -> None:
    iss = (REPO / "packaging" / "windows" / "shomei.iss").read_text(encoding="utf-8")
    assert ".pdf\\OpenWithProgids" in iss
    # Writing the default value of HKCR\.pdf would steal the association.
    assert 'Subkey: "Software\\Classes\\.pdf"; ValueType' not in iss


def _smoke_test(shomei: str, pki: PKI, tmp_path: Path) -> None:
    """The frozen program signs, validates and opens its window."""
    src = make_pdf(tmp_path / "in.pdf")
    out = tmp_path / f"signed-{Path(shomei).parent.name}.pdf"
    env = dict(os.environ, SHOMEI_KEY_PASSWORD=KEY_PASSWORD, QT_QPA_PLATFORM="offscreen")
    sign = subprocess.run(
        [shomei, "sign", str(src), "-o", str(out), "--key", f"p12:{pki.p12_path('signer-rsa')}",
         "--level", "B-T", "--tsa", pki.tsa_url()],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert sign.returncode == 0, sign.stderr
    check = subprocess.run(
        [shomei, "validate", str(out), "--json", "--trust", str(pki.cert_pem_path("root"))],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    report = json.loads(check.stdout)
    (file_report,) = report["files"]
    assert file_report["verdict"] == "VALID"
    assert file_report["signatures"][0]["level"] == "B-T"
    # The window opens offscreen, paints, and the program exits by itself.
    window = subprocess.run(
        [shomei],
        capture_output=True, text=True, timeout=300,
        env=dict(env, SHOMEI_FIRST_PAINT_T0=repr(time.monotonic()),
                 SHOMEI_SETTINGS=str(tmp_path / "settings.ini")),
    )  # fmt: skip
    assert window.returncode == 0, window.stderr
    assert "first-paint-ms" in window.stdout


def _build(script: str) -> None:
    """Run packaging/``script``; it must succeed (the tail of its errors if not)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    build = subprocess.run(
        ["bash", f"packaging/{script}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert build.returncode == 0, build.stderr[-3000:]


@pytest.mark.slow
def test_frozen_bundle_and_deb(tmp_path: Path, pki: PKI) -> None:
    """Builds the PyInstaller bundle and the .deb, then smoke-tests both."""
    pytest.importorskip("PyInstaller", reason="pyinstaller is part of the test extras")
    _build("build_bundle.sh")
    frozen = REPO / "dist" / "shomei" / "shomei"
    version = subprocess.run([str(frozen), "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("shomei "), version.stderr
    _smoke_test(str(frozen), pki, tmp_path)

    _build("build_deb.sh")
    if os.geteuid() != 0 or not os.environ.get("CI"):
        # Installing a package changes the machine: only on CI's throwaway one.
        return
    (package,) = (REPO / "dist").glob("shomei_*.deb")
    subprocess.run(["dpkg", "-i", str(package)], check=True, capture_output=True)
    try:
        installed = subprocess.run(["/usr/bin/shomei", "--version"], capture_output=True, text=True)
        assert installed.returncode == 0 and installed.stdout.startswith("shomei ")
        _smoke_test("/usr/bin/shomei", pki, tmp_path)
        assert Path(f"/usr/share/applications/{APP_ID}.desktop").exists()
        assert Path(f"/usr/share/icons/hicolor/256x256/apps/{APP_ID}.png").exists()
    finally:
        # --purge, not -r: -r leaves the package in state "rc" (config files kept).
        subprocess.run(["dpkg", "--purge", "shomei"], capture_output=True)
        state = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", "shomei"], capture_output=True, text=True
        )
    assert state.returncode != 0 or "not-installed" in state.stdout, state.stdout
