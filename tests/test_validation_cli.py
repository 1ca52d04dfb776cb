"""``shomei validate`` end to end (in process): exit codes, the summary
table, --json with the keys scripts rely on, --xml and --report outputs."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from signing.cli.main import main
from tests.pdf_factory import make_pdf
from tests.pki import PKI
from tests.test_validation_engine import _append_content, sign


@pytest.fixture(scope="module")
def files(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("cli")
    src = make_pdf(folder / "plain.pdf")
    good = sign(pki, src, folder / "good.pdf", "B-LT")
    changed = _append_content(sign(pki, src, folder / "t.pdf", "B-T"), folder / "changed.pdf")
    corrupt = folder / "corrupt.pdf"
    data = bytearray(good.read_bytes())
    data[200] ^= 0x01  # inside the signed range
    corrupt.write_bytes(bytes(data))
    return {"good": good, "changed": changed, "corrupt": corrupt, "plain": src}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["validate", *args])
    return code, capsys.readouterr().out


def test_valid_file_with_trust_exits_0(
    pki: PKI, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(pki.cert_pem_path("root"))
    code, out = run(capsys, str(files["good"]), "--trust", root, "--offline")
    assert code == 0, out
    assert "VALID" in out and "B-LT" in out and str(files["good"]) in out


def test_json_has_the_documented_keys(
    pki: PKI, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(pki.cert_pem_path("root"))
    code, out = run(capsys, str(files["good"]), str(files["changed"]), "--trust", root, "--json")
    doc = json.loads(out)
    by_path = {f["path"]: f for f in doc["files"]}
    good, changed = by_path[str(files["good"])], by_path[str(files["changed"])]
    assert good["verdict"] == "VALID"
    sig = good["signatures"][0]
    for key in ("verdict", "indication", "subindication", "level", "covers_whole_file",
                "modified_after_signing"):  # fmt: skip
        assert key in sig, key
    assert sig["level"] == "B-LT" and sig["indication"] == "TOTAL-PASSED"
    assert changed["verdict"] in ("INDETERMINATE", "INVALID")
    assert changed["signatures"][0]["modified_after_signing"] is True
    assert changed["signatures"][0]["covers_whole_file"] is False
    assert code in (3, 4)


def test_exit_codes(pki: PKI, files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = str(pki.cert_pem_path("root"))
    assert run(capsys, str(files["corrupt"]), "--trust", root, "--offline")[0] == 3
    assert run(capsys, str(files["good"]), "--offline")[0] == 4  # untrusted
    assert run(capsys, str(files["plain"]), "--offline")[0] == 4  # no signatures
    assert main(["validate", str(files["good"].parent / "missing-folder")]) == 1
    assert main(["validate", str(files["good"]), "--trust", "/nonexistent.pem"]) == 1
    assert main(["validate", str(files["good"]), "--at", "yesterday"]) == 1


def test_folder_xml_and_report(
    pki: PKI, files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xml_out, html_out = tmp_path / "report.xml", tmp_path / "report.html"
    code, out = run(
        capsys,
        str(files["good"].parent),
        "--trust",
        str(pki.cert_pem_path("root")),
        "--offline",
        "--workers",
        "2",
        "--xml",
        str(xml_out),
        "--report",
        str(html_out),
        "--at",
        "2026-11-27T00:00:00Z",
    )
    assert code == 3  # the folder holds the corrupted file
    assert ET.parse(xml_out).getroot() is not None
    assert "<html" in html_out.read_text(encoding="utf-8").lower()
    for name in ("good.pdf", "changed.pdf", "corrupt.pdf", "plain.pdf"):
        assert name in out


def test_real_command_with_a_forked_pool(pki: PKI, files: dict[str, Path]) -> None:
    """The installed ``shomei`` in its own (single-threaded) process: the pool
    is forked after the first file, as on a user's machine."""
    import subprocess
    import sys

    shomei = Path(sys.executable).parent / "shomei"
    proc = subprocess.run(
        [
            str(shomei),
            "validate",
            str(files["good"].parent),
            "--offline",
            "--workers",
            "2",
            "--trust",
            str(pki.cert_pem_path("root")),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    doc = json.loads(proc.stdout)
    verdicts = {Path(f["path"]).name: f["verdict"] for f in doc["files"]}
    assert verdicts["good.pdf"] == "VALID"
    assert verdicts["corrupt.pdf"] == "INVALID"
    assert len(verdicts) == 5  # good, changed, corrupt, plain and t.pdf
    assert proc.returncode == 3


def test_a_report_never_replaces_a_file_being_validated(
    pki: PKI, files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.pdf"
    good.write_bytes(files["good"].read_bytes())
    before = good.read_bytes()
    for flag in ("--report", "--xml"):
        assert main(["validate", str(good), flag, str(good)]) == 1
        assert "overwrite the input" in capsys.readouterr().err
    # a folder's files count too, and the two reports need two names
    assert main(["validate", str(tmp_path), "--report", str(good)]) == 1
    same = tmp_path / "out.pdf"
    assert main(["validate", str(good), "--xml", str(same), "--report", str(same)]) == 1
    assert "same file" in capsys.readouterr().err
    assert good.read_bytes() == before and not same.exists()
