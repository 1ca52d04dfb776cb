"""``shomei trust … --lang ja``: the tables, the notes and the errors in
Japanese with the tags ``validate`` and ``sign`` use; English stays as it was.

Real lists (shared/corpus/eu/tl), a real refused connection, no mocks.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
from pathlib import Path

import pytest

from signing.cli.main import main as cli_main
from tests.conftest import SHARED

TL = SHARED / "corpus" / "eu" / "tl"
SIGNERS_2019 = SHARED / "corpus" / "eu" / "certs" / "pyhanko__lotl-signers-OJ-C276-2019.pem"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
#: English words of the table and the notes that must not be left in Japanese output
ENGLISH_WORDS = re.compile(r"\b(ok|stale|missing|list|seq|issued|fetched|state|imported)\b")


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = int(s.getsockname()[1])
    s.close()
    return port


def test_status_in_japanese_and_english(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["trust", "status", "--cache-dir", str(tmp_path / "c")]
    assert cli_main([*args, "--lang", "ja"]) == 0
    ja = capsys.readouterr().out
    heading = ja.splitlines()[0]
    assert heading.split() == ["リスト", "連番", "発行日", "次回更新", "件数", "取得日", "状態"]
    assert "日本のリスト" in ja and "EUのトラストリストではありません" in ja
    jp_row = next(line for line in ja.splitlines() if line.startswith("JP "))
    assert jp_row.split()[-1] in ("最新", "期限切れ")
    for line in ja.splitlines()[1:]:
        if line.strip() and not line.startswith(("リスト", "日本")):
            # every row's state is a Japanese word
            assert JAPANESE.search(line.split()[-1]), line
    assert not ENGLISH_WORDS.search(ja), ja

    assert cli_main(args) == 0
    en = capsys.readouterr().out
    assert en.splitlines()[0].split() == [
        "list",
        "seq",
        "issued",
        "next",
        "svcs",
        "fetched",
        "state",
    ]
    assert "Japanese list (compiled and signed by Shomei; not an EU trusted list):" in en
    assert not JAPANESE.search(en)


def test_update_failure_in_japanese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/lotl.xml"
    args = ["trust", "update", "--cache-dir", str(tmp_path / "c"), "--lotl-url", url]
    args += ["--no-snapshot", "--lotl-signers", str(SIGNERS_2019)]
    assert cli_main([*args, "--lang", "ja"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err, "the failure is told"
    for line in err:
        assert line.startswith("shomei: エラー: "), line
        assert "cannot be reached" not in line and "Is this computer" not in line, line
    assert any("接続できませんでした" in line for line in err), err

    assert cli_main(args) == 1
    en = capsys.readouterr().err
    assert "shomei: error: " in en and not JAPANESE.search(en)

    # the JSON keeps its keys; its messages follow the language
    assert cli_main([*args, "--lang", "ja", "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] is False and doc["errors"][0]["error"].startswith("trust-list")
    assert JAPANESE.search(doc["errors"][0]["message"]), doc["errors"]


def test_jp_only_without_url_in_japanese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["trust", "update", "--jp-only", "--no-snapshot", "--cache-dir", str(tmp_path / "c")]
    assert cli_main([*args, "--lang", "ja"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("shomei: エラー: ") and "更新URLが必要です" in err


def test_import_in_japanese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not TL.is_dir():
        pytest.skip("needs ../shared/corpus/eu/tl")
    src = tmp_path / "src"
    src.mkdir()
    for i, name in enumerate(["dss__lotl-seq248.xml", "dss__tl-2019-CZ-broken-sig.xml"]):
        shutil.copy(TL / name, src / f"list-{i:02d}.xml")
    args = ["trust", "import", str(src), "--cache-dir", str(tmp_path / "c"), "--no-snapshot"]
    args += ["--lotl-signers", str(SIGNERS_2019), "--lang", "ja"]
    assert cli_main(args) == 1  # the broken CZ copy is refused
    out = capsys.readouterr()
    assert "インポートしました：LOTL" in out.out
    refused = [line for line in out.err.splitlines() if line]
    assert refused and all(line.startswith("shomei: エラー: CZ：") for line in refused), refused
    # the refusal's sentence is Japanese (the file's name is kept, the words are not English)
    assert all(JAPANESE.search(line.split("：", 1)[1]) for line in refused), refused
    assert not re.search(r"\b(signature|cannot|the)\b", out.err), out.err

    # a source that cannot be read at all: one tagged line, exit code 1
    not_zip = tmp_path / "lists.zip"
    not_zip.write_bytes(b"not a zip archive")
    assert cli_main(["trust", "import", str(not_zip), "--lang", "ja", "--no-snapshot"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("shomei: エラー: ") and "読み取れません" in err, err


def test_an_unreadable_archive_is_told_in_japanese_without_the_librarys_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "lists.zip"
    archive.write_bytes(b"PK not really a zip archive")
    args = ["trust", "import", str(archive), "--no-snapshot", "--cache-dir", str(tmp_path / "c")]
    assert cli_main([*args, "--lang", "ja"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("shomei: エラー: ") and "内容を読み取れません" in err, err
    assert "zip file" not in err  # (zipfile's words: technical detail)
    assert cli_main(args) == 1
    assert "File is not a zip file" in capsys.readouterr().err  # the English keeps them


def test_file_problems_by_errno() -> None:
    import errno

    from signing.model.reasons import causes

    for number, word in (
        (errno.ENOENT, "存在しません"),
        (errno.EACCES, "アクセスが拒否"),
        (errno.ENOSPC, "空き容量"),
        (errno.EROFS, "読み取り専用"),
    ):
        cause = causes.file_problem(OSError(number, "strerror in English"))
        assert word in cause.ja and "English" not in cause.ja + cause.en
    assert causes.file_problem(ValueError("Bad zip")).ja == "内容を読み取れません"
