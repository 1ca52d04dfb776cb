"""The command line is argument parsing plus rendering over :mod:`signing.api`
(its imports: tests/test_architecture.py): its entry point runs without
PySide6, and the warnings it prints are told apart by their codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from signing.api import Level, SignedResult
from signing.model.results import Reason
from tests.local_http import closed_url
from tests.no_qt import WITHOUT_QT
from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD, PKI
from tests.sign_helpers import tsa_failover_args

REPO = Path(__file__).resolve().parent.parent

# The entry point run where PySide6 cannot load (the launcher itself imports no Qt).
NO_QT = (
    WITHOUT_QT
    + """
import json
from desktop.launcher import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "qt": "PySide6" in sys.modules,
                  "pyhanko": "pyhanko" in sys.modules}))
"""
)


def _no_qt(*args: str) -> tuple[dict[str, object], str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONWARNINGS="ignore")
    out = subprocess.run(
        [sys.executable, "-c", NO_QT, *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    lines = out.stdout.strip().splitlines()
    assert lines, out.stderr
    data: dict[str, object] = json.loads(lines[-1])
    return data, out.stdout + out.stderr


def test_help_runs_without_pyside6_and_without_pyhanko() -> None:
    data, text = _no_qt("--help")
    assert data == {"code": 0, "qt": False, "pyhanko": False}
    assert "usage: shomei" in text and "validate" in text


def test_validate_runs_without_pyside6(pki: PKI, tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "unsigned.pdf")
    root = str(pki.cert_pem_path("root"))
    data, text = _no_qt("validate", "--offline", "--no-eu", "--no-jp", "--trust", root, str(pdf))
    assert data["qt"] is False
    # an unsigned file is not VALID: validate says so with its own exit code
    assert data["code"] not in (0, 1, 2), text
    assert "unsigned.pdf" in text


def test_signed_result_keeps_codes_and_english() -> None:
    small = Reason(code="stamp-text-small", en="The text is small.", ja="文字が小さい。")
    result = SignedResult(
        output_path=Path("o.pdf"), size=1, field_name="Sig1", level=Level.B_B, notices=(small,)
    )
    assert result.warnings == ("The text is small.",)
    assert result.to_json()["warnings"] == ["The text is small."]


def test_presign_warnings_are_shown_once_and_the_others_after(pki: PKI, tmp_path: Path) -> None:
    """A seal certificate used to sign: the mismatch is said before signing
    and not again after; a warning of the signing itself (a time-stamping
    server skipped) still comes after it."""
    src = make_pdf(tmp_path / "in.pdf")
    out = tmp_path / "out.pdf"
    dead = closed_url("/tsa")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOMEI_")}
    env["SHOMEI_KEY_PASSWORD"] = KEY_PASSWORD
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop.launcher",
            "sign",
            str(src),
            "-o",
            str(out),
            "--key",
            f"p12:{pki.p12_path('seal-rsa')}",
            *tsa_failover_args(pki, dead),
        ],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("shomei: warning: ")]
    assert len(lines) == 2, res.stderr
    assert "seal certificate (QcType eseal" in lines[0]
    assert lines[1].startswith("shomei: warning: Skipped time-stamping servers: ")
    assert dead in lines[1]
    assert out.exists()
