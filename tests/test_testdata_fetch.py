"""tests/data/fetch.py: where the shared test material comes from. A file is
used only with the manifest's SHA-256, whichever source gave it; downloads
come from a local HTTP server laid out like raw.githubusercontent.com."""

from __future__ import annotations

import base64
import hashlib
import http.server
import multiprocessing
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.data import fetch
from tests.local_http import LocalServer, send_body, served
from tests.pki import PKI

REPO = Path(__file__).resolve().parent.parent
FREE = (
    "MIT",
    "LGPL-2.1",
    "EUPL-1.1",
    "CC BY 4.0",
    "CC-BY-4.0",
    "Apache-2.0",
    "project metadata",
    # the unsigned corpus (corpus/unsigned, from PyPI sdists)
    "CC-BY-SA-",
    "CC0-1.0",
    "CC-PDDC",
    "public-domain",
    "BSD-3-Clause",
    "MPL-2.0",
    "GFDL-1.2-or-later or CC-BY-SA-",
)


class Upstream(LocalServer):
    """OWNER/REPO/COMMIT/PATH -> bytes, served on 127.0.0.1."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.requests: list[str] = []
        files, requests = self.files, self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                requests.append(self.path)
                body = files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                send_body(self, body)

            def log_message(self, *args: Any) -> None:
                return None

        super().__init__(Handler)

    def put(self, entry: fetch.Entry, body: bytes) -> None:
        self.files[fetch.upstream_url(entry, "")] = body


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    yield from served(Upstream())


def _entry(path: str, body: bytes, **kw: Any) -> fetch.Entry:
    fields: dict[str, Any] = {
        "path": path,
        "sha256": hashlib.sha256(body).hexdigest(),
        "size": len(body),
        "licence": "AGPL-3.0",
        "repo": "owner/repo",
        "upstream_path": f"src/test/resources/{Path(path).name}",
        "commit": "0" * 40,
        "form": "file",
        "cert_sha256": "-",
        "shipped": False,
    }
    fields.update(kw)
    return fetch.Entry(**fields)


def test_the_manifest_matches_tests_data_and_licences() -> None:
    """What is in the repository is what the manifest says, under a licence
    that lets us redistribute it; everything else is fetchable."""
    entries = fetch.load_manifest()
    assert len({e.path for e in entries}) == len(entries)
    in_repo = {
        p.relative_to(fetch.DATA).as_posix()
        for p in fetch.DATA.rglob("*")
        if p.is_file()
        and p.parent != fetch.DATA
        and p.parts[-2] not in ("NOTICES", "LICENSES")
        and "__pycache__" not in p.parts
    }
    assert in_repo == {e.path for e in entries if e.shipped}
    notices = {p.stem for p in (fetch.DATA / "NOTICES").glob("*.md")}
    for e in entries:
        if e.shipped:
            assert e.licence.startswith(FREE), e.path
            data = (fetch.DATA / e.path).read_bytes()
            assert hashlib.sha256(data).hexdigest() == e.sha256, e.path
            if e.form.startswith("cert"):
                # what a download would write from the certificate: these bytes
                der = fetch.find_certificate(data, e.cert_sha256)
                assert der is not None, e.path
                assert (fetch._pem(der) if e.form == "cert" else der) == data, e.path
            if e.fetchable:
                assert e.repo.replace("/", "__").replace(":", "__") in notices, e.path
        elif e.pypi_name is not None:
            # free, but too large to copy here: cut from the pinned sdist
            assert (e.pypi_name, e.commit) in fetch.PYPI_SDISTS, e.path
            assert f"pypi__{e.pypi_name}" in notices, e.path
        else:
            assert not e.licence.startswith(FREE), e.path
            assert e.fetchable and len(e.commit) == 40, e.path
    # non-free: listed (the tests read it from shared/ or the cache), never copied here
    (kampo,) = [e for e in entries if e.path == "corpus/jp/kampo.pdf"]
    assert not kampo.shipped and not (fetch.DATA / kampo.path).exists()


def test_resolution_order_and_checksums(tmp_path: Path) -> None:
    data, cache, shared = tmp_path / "data", tmp_path / "cache", tmp_path / "shared"
    a = _entry("corpus/a.pdf", b"%PDF a")
    b = _entry("corpus/b.pdf", b"%PDF b")
    c = _entry("corpus/sub/c.pdf", b"%PDF c")
    (data / "corpus").mkdir(parents=True)
    (data / "corpus/a.pdf").write_bytes(b"%PDF a")
    (shared / "corpus/sub").mkdir(parents=True)
    (shared / "corpus/a.pdf").write_bytes(b"%PDF a, another version")
    (shared / "corpus/b.pdf").write_bytes(b"%PDF b")
    (shared / "corpus/sub/c.pdf").write_bytes(b"%PDF c, tampered")

    got = fetch.materialise(shared=shared, cache=cache, entries=[a, b, c], data=data)
    assert [e.path for e in got.missing] == ["corpus/sub/c.pdf"]  # wrong SHA-256: never used
    assert (got.root / "corpus/a.pdf").read_bytes() == b"%PDF a"  # tests/data first
    assert (got.root / "corpus/b.pdf").read_bytes() == b"%PDF b"
    assert (cache / "files/corpus/b.pdf").read_bytes() == b"%PDF b"  # kept in the cache
    assert not (got.root / "corpus/sub/c.pdf").exists()
    assert not (cache / "files/corpus/sub/c.pdf").exists()

    # without shared/, the cache serves; a corrupted cached copy is not used
    (cache / "files/corpus/sub").mkdir(parents=True)
    (cache / "files/corpus/sub/c.pdf").write_bytes(b"%PDF c")
    again = fetch.materialise(shared=tmp_path / "none", cache=cache, entries=[a, b, c], data=data)
    assert not again.missing and again.root != got.root
    (cache / "files/corpus/b.pdf").write_bytes(b"%PDF b!")
    last = fetch.materialise(shared=tmp_path / "none", cache=cache, entries=[a, b, c], data=data)
    assert [e.path for e in last.missing] == ["corpus/b.pdf"]


def test_download_at_the_pinned_commit(tmp_path: Path, upstream: Upstream) -> None:
    body = b"%PDF-1.7 attack " * 100
    good = _entry("corpus/attacks/x y.pdf", body)
    upstream.put(good, body)
    path = fetch.download(good, cache=tmp_path, base_url=upstream.base_url)
    assert path.read_bytes() == body
    assert upstream.requests == [f"/owner/repo/{'0' * 40}/src/test/resources/x%20y.pdf"]

    tampered = _entry("corpus/attacks/t.pdf", body)
    upstream.put(tampered, body[:-1] + b"!")
    too_big = _entry("corpus/attacks/big.pdf", body)
    upstream.put(too_big, body + b"more")
    gone = _entry("corpus/attacks/gone.pdf", body)
    for entry, why in ((tampered, "SHA-256"), (too_big, "larger than"), (gone, "HTTP 404")):
        with pytest.raises(fetch.FetchError, match=why):
            fetch.download(entry, cache=tmp_path, base_url=upstream.base_url)
        assert not (tmp_path / "files" / entry.path).exists()
    with pytest.raises(fetch.Unreachable, match=r"ConnectionError|ConnectTimeout"):
        fetch.download(good, cache=tmp_path, base_url="http://127.0.0.1:9")


def _sdist(members: dict[str, bytes]) -> bytes:
    import io
    import tarfile

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, body in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    return buf.getvalue()


def test_download_from_a_pinned_pypi_sdist(
    tmp_path: Path, upstream: Upstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row ``pypi:NAME`` at a version: the sdist is found in the index's
    JSON listing (PEP 691), used only with its pinned SHA-256, downloaded
    once for all its members, and each member only with its own SHA-256."""
    import json

    a, b = b"%PDF-1.4 a" * 50, b"%PDF-1.7 b" * 70
    archive = _sdist({"pkg-1.0/tests/a.pdf": a, "pkg-1.0/tests/b.pdf": b})
    pinned = hashlib.sha256(archive).hexdigest()
    monkeypatch.setitem(fetch.PYPI_SDISTS, ("pkg", "1.0"), pinned)
    upstream.files["/packages/pkg-1.0.tar.gz"] = archive
    upstream.files["/simple/pkg/"] = json.dumps(
        {
            "files": [
                {
                    "filename": "pkg-1.0-py3-none-any.whl",
                    "url": "/no.whl",
                    "hashes": {"sha256": "0"},
                },
                {
                    "filename": "pkg-1.0.tar.gz",
                    "url": "../../packages/pkg-1.0.tar.gz",
                    "hashes": {"sha256": pinned},
                },
            ]
        }
    ).encode()

    def row(name: str, body: bytes, **kw: Any) -> fetch.Entry:
        return _entry(
            f"corpus/unsigned/pkg/{name}",
            body,
            repo="pypi:pkg",
            commit="1.0",
            upstream_path=f"pkg-1.0/tests/{name}",
            **kw,
        )

    good_a, good_b = row("a.pdf", a), row("b.pdf", b)
    failed = fetch.fetch_missing(
        [good_a, good_b], cache=tmp_path, pypi_url=upstream.base_url, report=lambda _m: None
    )
    assert failed == []
    assert (tmp_path / "files" / good_a.path).read_bytes() == a
    assert (tmp_path / "files" / good_b.path).read_bytes() == b
    assert upstream.requests.count("/packages/pkg-1.0.tar.gz") == 1

    tampered = row("a.pdf", a + b"!")  # the member differs from the manifest
    absent = row("c.pdf", a)
    for entry, why in ((tampered, "SHA-256 differs"), (absent, "not in the sdist")):
        with pytest.raises(fetch.FetchError, match=why):
            fetch.download(entry, cache=tmp_path / "x", pypi_url=upstream.base_url)
    # an sdist that is not the pinned one is never opened
    monkeypatch.setitem(fetch.PYPI_SDISTS, ("pkg", "1.0"), "f" * 64)
    with pytest.raises(fetch.FetchError, match=r"no sdist of 1\.0 with SHA-256"):
        fetch.download(good_a, cache=tmp_path / "y", pypi_url=upstream.base_url)
    assert not (tmp_path / "y").exists()


def test_a_certificate_is_cut_out_of_a_larger_upstream_file(
    tmp_path: Path, upstream: Upstream, pki: PKI
) -> None:
    der = pki.cert_der("interm")
    pem = fetch._pem(der)
    entry = _entry(
        "trust/jp/interm.pem", pem, form="cert", cert_sha256=hashlib.sha256(der).hexdigest()
    )
    other = fetch._pem(pki.cert_der("root")).replace(b"\n", b"\r\n")
    report = b'"Root","' + other + b'"\n"Interm","' + pem.replace(b"\n", b"\r\n") + b'"\n'
    upstream.put(entry, report)
    root_der = pki.cert_der("root")
    root = replace(
        entry,
        path="trust/jp/root.pem",
        sha256=hashlib.sha256(fetch._pem(root_der)).hexdigest(),
        size=len(fetch._pem(root_der)),
        cert_sha256=hashlib.sha256(root_der).hexdigest(),
    )
    kept: dict[str, bytes] = {}
    for e, want in ((entry, pem), (root, fetch._pem(root_der))):
        got = fetch.download(e, cache=tmp_path, base_url=upstream.base_url, containers=kept)
        assert got.read_bytes() == want
    assert len(upstream.requests) == 1  # one report, two certificates
    wrong = replace(entry, path="trust/jp/w.pem", cert_sha256="ab" * 32)
    upstream.put(wrong, report)
    with pytest.raises(fetch.FetchError, match="no certificate"):
        fetch.download(wrong, cache=tmp_path, base_url=upstream.base_url)


def test_the_script_fetches_what_is_missing(tmp_path: Path, upstream: Upstream) -> None:
    """`python tests/data/fetch.py` with no shared/ and an empty cache: --list
    names the missing file; a plain run downloads it and says all are present."""
    body = b"%PDF-1.7 not redistributable " * 50
    entry = _entry("corpus/attacks/agpl.pdf", body)
    upstream.put(entry, body)
    manifest = tmp_path / "files.tsv"
    header = fetch.MANIFEST.read_text(encoding="utf-8").splitlines()[0]
    fields = [entry.path, entry.sha256, str(entry.size), entry.licence, entry.repo]
    fields += [entry.upstream_path, entry.commit, "file", "-", "no"]
    manifest.write_text(header + "\n" + "\t".join(fields) + "\n", encoding="utf-8")
    code = (
        "import sys; from pathlib import Path; from tests.data import fetch; "
        f"fetch.MANIFEST = Path({str(manifest)!r}); sys.exit(fetch.main(sys.argv[1:]))"
    )
    env = {
        **os.environ,
        "SHOMEI_SHARED": str(tmp_path / "no-shared"),
        "SHOMEI_TESTDATA_CACHE": str(tmp_path / "cache"),
        "SHOMEI_TESTDATA_BASE_URL": upstream.base_url,
    }
    run = subprocess.run(
        [sys.executable, "-c", code, "--list"], env=env, capture_output=True, text=True
    )
    assert run.returncode == 1 and f"missing  {entry.path}" in run.stdout
    assert not upstream.requests  # --list never downloads
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 of 1 test files present" in run.stdout
    assert (tmp_path / "cache/files" / entry.path).read_bytes() == body
    upstream.files.clear()  # tampered upstream: a second cache is not filled
    upstream.put(entry, body[:-1] + b"!")
    env["SHOMEI_TESTDATA_CACHE"] = str(tmp_path / "cache2")
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert run.returncode == 1 and "SHA-256 differs" in run.stdout
    assert not (tmp_path / "cache2/files" / entry.path).exists()


def _materialise_in(cache: str, data: str, start: Any, out: Any) -> None:
    entries = [_entry(f"corpus/{i}.pdf", b"%%PDF %d" % i) for i in range(200)]
    start.wait()
    got = fetch.materialise(
        shared=Path("/nonexistent"), cache=Path(cache), entries=entries, data=Path(data)
    )
    out.put((str(got.root), len(got.missing)))


def test_two_processes_materialise_at_once(tmp_path: Path) -> None:
    """As two pytest-xdist workers do: both end with the same complete tree."""
    data = tmp_path / "data"
    (data / "corpus").mkdir(parents=True)
    for i in range(200):
        (data / f"corpus/{i}.pdf").write_bytes(b"%%PDF %d" % i)
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Barrier(2), ctx.Queue()
    procs = [
        ctx.Process(target=_materialise_in, args=(str(tmp_path / "c"), str(data), start, out))
        for _ in range(2)
    ]
    for p in procs:
        p.start()
    results = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert results[0] == results[1] and results[0][1] == 0
    root = Path(results[0][0])
    assert sorted(p.name for p in (root / "corpus").iterdir()) == sorted(
        f"{i}.pdf" for i in range(200)
    )
    assert [p.name for p in (tmp_path / "c").iterdir()] == [root.name]  # no half-built trees


def test_unsafe_manifest_paths_are_refused(tmp_path: Path) -> None:
    manifest = tmp_path / "files.tsv"
    header = fetch.MANIFEST.read_text(encoding="utf-8").splitlines()[0]
    row = "\t".join(["../../etc/x", "0" * 64, "1", "MIT", "o/r", "p", "0" * 40, "file", "-", "no"])
    manifest.write_text(f"{header}\n{row}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unsafe path"):
        fetch.load_manifest(manifest)


def test_certificates_are_found_in_source_code(pki: PKI) -> None:
    """Upstream test classes hold certificates as string literals."""
    der = pki.cert_der("interm")
    fp = hashlib.sha256(der).hexdigest()
    b64 = base64.b64encode(der).decode()
    chunks = [b64[i : i + 76] for i in range(0, len(b64), 76)]
    java = 'static final String CERT = "' + '" +\n        "'.join(chunks) + '";'
    python = 'CERT = (\n    "' + '"\n    "'.join(chunks) + '"\n)'
    escaped = '{"pem": "' + fetch._pem(der).decode().replace("\n", "\\n") + '"}'
    for source in (java, python, escaped):
        assert fetch.find_certificate(source.encode(), fp) == der
    assert fetch.find_certificate(java.encode(), "00" * 32) is None
