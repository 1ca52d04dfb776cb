#!/usr/bin/env python3
"""The external files the tests read, where each comes from, and how to get it.

``files.tsv`` beside this script lists every file the tests read from the shared
test material (``../shared`` beside the checkout): its path relative to that
folder, the SHA-256 of the bytes the tests expect, its licence and where it
comes from upstream (repository, path, commit). A file is taken from, in order:

1. ``tests/data/<path>``: the files whose licence lets us redistribute them;
2. the cache, ``.cache/testdata/files/<path>`` ($SHOMEI_TESTDATA_CACHE);
3. the shared folder, ``$SHOMEI_SHARED`` or ``../shared``, copied into the cache;
4. only when asked (``python tests/data/fetch.py``, needs the network): its
   upstream repository at the pinned commit, downloaded into the cache; or,
   for a row whose ``repo`` is ``pypi:NAME`` (``commit`` holds the version),
   the member ``upstream_path`` of that version's source distribution on
   PyPI, whose own SHA-256 is pinned in ``PYPI_SDISTS``.

Whatever the source, a file whose SHA-256 differs from the manifest is never
used. ``materialise()`` then assembles every file it has into one tree with the
shared layout (the root the tests read); what it lacks is listed as missing.

Usage: ``python tests/data/fetch.py [--list]``. Only the standard library and
``requests`` (for downloads) are needed.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import os
import re
import shutil
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent
REPO = DATA.parent.parent
MANIFEST = DATA / "files.tsv"
DEFAULT_BASE_URL = "https://raw.githubusercontent.com"
DEFAULT_PYPI_URL = "https://pypi.org"
# The source distributions some rows are cut from: (name, version) -> the
# SHA-256 of the sdist file. The index's listing says where it is; the
# archive is used only with this digest, each member only with its own.
PYPI_SDISTS: dict[tuple[str, str], str] = {
    ("pikepdf", "10.18.0"): "cb555ebff93482e8a6eb55881488b469bbb2b5675161c1b93a0510a8642d98d0",
    ("ocrmypdf", "17.13.0"): "151c35d810eb628fbc5cb9bbe80b834ecf094737efa0e7a2e9e1fac3c730ed49",
    ("pypdf", "7.1.1"): "2eff4e2fc5fb22a6d6711e6f1166cdc9ab5765d90cd0d77dfea3f4aa91a27b1d",
}
MAX_SDIST_BYTES = 64 * 1024 * 1024
TIMEOUT = 30.0  # seconds to connect and between bytes, per request
# a certificate is cut out of a larger upstream file (a CSV report, an XML
# settings file): that file's size is not pinned, only this ceiling
MAX_CONTAINER_BYTES = 256 * 1024 * 1024
_CHUNK = 1 << 16


class FetchError(Exception):
    """A file could not be had from a source (the message says why)."""


class Unreachable(FetchError):
    """The server could not be reached at all: no use trying the other files."""


@dataclass(frozen=True)
class Entry:
    """One row of files.tsv."""

    path: str  # relative to the shared folder, e.g. corpus/eu/pdf/x.pdf
    sha256: str  # of the bytes the tests read
    size: int
    licence: str
    repo: str  # owner/name on GitHub, pypi:NAME for an sdist, "-" for the project's own files
    upstream_path: str  # in the repository, or the member's path in the sdist
    commit: str  # the pinned commit, or the sdist's version
    form: str  # "file": upstream bytes as they are; "cert" / "cert-der": a
    # certificate found inside them, written as PEM / DER
    cert_sha256: str  # for "cert": SHA-256 of the certificate's DER
    shipped: bool  # in tests/data (licence permits redistribution)

    @property
    def fetchable(self) -> bool:
        return self.repo != "-"

    @property
    def pypi_name(self) -> str | None:
        """The project's name when the file comes from a PyPI source distribution."""
        return self.repo.removeprefix("pypi:") if self.repo.startswith("pypi:") else None


def load_manifest(path: Path | None = None) -> list[Entry]:
    path = MANIFEST if path is None else path
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    entries = [
        Entry(
            path=r["path"],
            sha256=r["sha256"],
            size=int(r["size"]),
            licence=r["licence"],
            repo=r["repo"],
            upstream_path=r["upstream_path"],
            commit=r["commit"],
            form=r["form"],
            cert_sha256=r["cert_sha256"],
            shipped=r["shipped"] == "yes",
        )
        for r in rows
    ]
    for e in entries:
        # the paths are joined to local folders: never let one climb out
        if e.path.startswith("/") or ".." in Path(e.path).parts:
            raise ValueError(f"{path.name}: unsafe path {e.path!r}")
    return entries


def shared_dir() -> Path:
    return Path(os.environ.get("SHOMEI_SHARED") or REPO.parent / "shared")


def cache_dir() -> Path:
    return Path(os.environ.get("SHOMEI_TESTDATA_CACHE") or REPO / ".cache" / "testdata")


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _matches(path: Path, entry: Entry) -> bool:
    try:
        return path.stat().st_size == entry.size and sha256_of(path) == entry.sha256
    except OSError:
        return False


def _write_atomic(dest: Path, data: bytes) -> None:
    """Write through a temporary file and a rename, so a reader (another
    pytest-xdist worker) never sees half a file."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def locate(entry: Entry, *, shared: Path | None, cache: Path, data: Path = DATA) -> Path | None:
    """Where a good copy of this file is (tests/data, the cache, or the shared
    folder, which is then copied to the cache), or None."""
    for candidate in (data / entry.path, cache / "files" / entry.path):
        if _matches(candidate, entry):
            return candidate
    if shared is not None:
        src = shared / entry.path
        try:
            data = src.read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != entry.sha256:
            return None  # a different version in shared/: never used
        dest = cache / "files" / entry.path
        _write_atomic(dest, data)
        return dest
    return None


def upstream_url(entry: Entry, base_url: str = DEFAULT_BASE_URL) -> str:
    path = urllib.parse.quote(entry.upstream_path)
    return f"{base_url.rstrip('/')}/{entry.repo}/{entry.commit}/{path}"


def _sdist(name: str, version: str, pypi_url: str, session: object | None) -> bytes:
    """The pinned source distribution of ``name`` ``version``: found in the
    index's JSON listing (PEP 691, what pip reads), used only with the
    SHA-256 of PYPI_SDISTS."""
    import json

    pinned = PYPI_SDISTS.get((name, version))
    if pinned is None:
        raise FetchError(f"{name} {version}: no pinned sdist in PYPI_SDISTS")
    project = re.sub(r"[-_.]+", "-", name).lower()  # (PEP 503 normalisation)
    index_url = f"{pypi_url.rstrip('/')}/simple/{project}/"
    listing = _get(
        index_url, 32 * 1024 * 1024, session, {"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    try:
        files = json.loads(listing)["files"]
        url = next(
            f["url"]
            for f in files
            if f["filename"].endswith(".tar.gz") and f.get("hashes", {}).get("sha256") == pinned
        )
    except StopIteration:
        raise FetchError(f"{index_url}: no sdist of {version} with SHA-256 {pinned}") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise FetchError(f"{index_url}: not a PEP 691 listing ({type(exc).__name__})") from exc
    url = urllib.parse.urljoin(index_url, url)
    data = _get(url, MAX_SDIST_BYTES, session)
    if hashlib.sha256(data).hexdigest() != pinned:
        raise FetchError(f"{url}: SHA-256 differs from PYPI_SDISTS, not used")
    return data


def sdist_member(archive: bytes, member: str, limit: int) -> bytes:
    """One regular file of a .tar.gz source distribution (``limit`` bytes at most)."""
    import io
    import tarfile

    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
            info = tar.getmember(member)
            if not info.isfile() or info.size > limit:
                raise FetchError(f"{member}: not a regular file of at most {limit} bytes")
            fh = tar.extractfile(info)
            assert fh is not None  # (a regular file)
            return fh.read()
    except KeyError:
        raise FetchError(f"{member}: not in the sdist") from None
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise FetchError(f"{member}: unreadable sdist ({type(exc).__name__})") from exc


def _get(
    url: str, limit: int, session: object | None, headers: dict[str, str] | None = None
) -> bytes:
    import requests

    getter = session if session is not None else requests
    try:
        resp = getter.get(url, stream=True, timeout=TIMEOUT, headers=headers)  # type: ignore[attr-defined]
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise Unreachable(f"{url}: {type(exc).__name__}") from exc
    except requests.RequestException as exc:
        raise FetchError(f"{url}: {type(exc).__name__}") from exc
    with resp:
        if resp.status_code != 200:
            raise FetchError(f"{url}: HTTP {resp.status_code}")
        data = bytearray()
        try:
            for chunk in resp.iter_content(_CHUNK):
                data += chunk
                if len(data) > limit:
                    raise FetchError(f"{url}: larger than {limit} bytes")
        except requests.RequestException as exc:
            raise FetchError(f"{url}: {type(exc).__name__}") from exc
    return bytes(data)


def _der_length(der: bytes) -> int | None:
    """Total length of the DER SEQUENCE at the start of ``der``."""
    if len(der) < 2 or der[0] != 0x30:
        return None
    first = der[1]
    if first < 0x80:
        return 2 + first
    n = first & 0x7F
    if n == 0 or n > 4 or len(der) < 2 + n:
        return None
    return 2 + n + int.from_bytes(der[2 : 2 + n], "big")


def _pem(der: bytes) -> bytes:
    # the layout of the shared copies: 64 characters a line, a final newline
    b64 = base64.b64encode(der).decode("ascii")
    body = "\n".join(b64[i : i + 64] for i in range(0, len(b64), 64))
    return f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n".encode()


def find_certificate(blob: bytes, fingerprint: str) -> bytes | None:
    """The DER of the certificate with this SHA-256 inside ``blob``: raw DER,
    or base64 (PEM, XML, a CSV report), line breaks allowed."""
    length = _der_length(blob)
    if length is not None and hashlib.sha256(blob[:length]).hexdigest() == fingerprint:
        return blob[:length]
    # base64 split over string literals ("MII..." + "...", "\n" escapes) joins up
    text = re.sub(rb"\\[nr]", b"", blob)
    text = re.sub(rb"[\"']\s*\+?\s*[\"']", b"", text)
    text = re.sub(rb"\s+", b"", text)
    # every certificate of 256 bytes or more starts with "MII" in base64
    for m in re.finditer(rb"MII[A-Za-z0-9+/]{60,}={0,2}", text):
        run = m.group()
        head = base64.b64decode(run[:8])
        length = _der_length(head)
        if length is None:
            continue
        chars = -(-length // 3) * 4
        if len(run) < chars:
            continue
        try:
            der = base64.b64decode(run[:chars])[:length]
        except ValueError:
            continue
        if hashlib.sha256(der).hexdigest() == fingerprint:
            return der
    return None


def download(
    entry: Entry,
    *,
    cache: Path,
    base_url: str = DEFAULT_BASE_URL,
    session: object | None = None,
    containers: dict[str, bytes] | None = None,
    pypi_url: str = DEFAULT_PYPI_URL,
) -> Path:
    """Fetch one file from its upstream repository at the pinned commit (or
    its PyPI sdist at the pinned version) into the cache; raise FetchError
    unless its SHA-256 is the manifest's. ``containers`` keeps files that
    hold several certificates, and sdists that hold several files (one
    download)."""
    if not entry.fetchable:
        raise FetchError(f"{entry.path}: no upstream source (the project's own file)")
    containers = {} if containers is None else containers
    url = upstream_url(entry, base_url)
    name = entry.pypi_name
    if name is not None:
        key = f"pypi:{name}=={entry.commit}"
        if key not in containers:
            containers[key] = _sdist(name, entry.commit, pypi_url, session)
        url = f"{key}:{entry.upstream_path}"
        data = sdist_member(containers[key], entry.upstream_path, entry.size)
    elif entry.form in ("cert", "cert-der"):
        if url not in containers:
            containers[url] = _get(url, MAX_CONTAINER_BYTES, session)
        der = find_certificate(containers[url], entry.cert_sha256)
        if der is None:
            raise FetchError(f"{url}: no certificate with SHA-256 {entry.cert_sha256}")
        data = _pem(der) if entry.form == "cert" else der
    else:
        data = _get(url, entry.size, session)
    if hashlib.sha256(data).hexdigest() != entry.sha256:
        raise FetchError(f"{url}: SHA-256 differs from the manifest, not kept")
    dest = cache / "files" / entry.path
    _write_atomic(dest, data)
    return dest


@dataclass(frozen=True)
class Materialised:
    root: Path  # a tree with the shared layout holding every file found
    missing: tuple[Entry, ...]


def _link_or_copy(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dest)
    except OSError:
        shutil.copyfile(src, dest)


def _prune_trees(cache: Path, keep: Path) -> None:
    # trees of earlier manifests, and half-built ones of an interrupted run;
    # an hour's grace for a session still reading one
    for old in [*cache.glob("tree-*"), *cache.glob(".tree-*")]:
        try:
            stale = old != keep and time.time() - old.stat().st_mtime > 3600
        except OSError:
            continue  # another process removed it first
        if stale:
            shutil.rmtree(old, ignore_errors=True)


def materialise(
    *,
    shared: Path | None = None,
    cache: Path | None = None,
    entries: Sequence[Entry] | None = None,
    data: Path = DATA,
) -> Materialised:
    """Resolve every file of the manifest (no downloads) and assemble those
    found into ``<cache>/tree-<digest>``. Safe when several processes do it at
    once: each builds a private tree and renames it into place."""
    shared = shared_dir() if shared is None else shared
    cache = cache_dir() if cache is None else cache
    entries = load_manifest() if entries is None else entries
    found: dict[str, Path] = {}
    missing: list[Entry] = []
    for e in entries:
        where = locate(e, shared=shared if shared.is_dir() else None, cache=cache, data=data)
        if where is None:
            missing.append(e)
        else:
            found[e.path] = where
    digest = hashlib.sha256()
    for e in entries:
        if e.path in found:
            digest.update(f"{e.path}\t{e.sha256}\n".encode())
    root = cache / f"tree-{digest.hexdigest()[:16]}"
    if not root.is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=cache, prefix=".tree-"))
        try:
            for rel, src in found.items():
                _link_or_copy(src, tmp / rel)
            os.rename(tmp, root)
        except OSError:
            if not root.is_dir():
                raise
            # another worker renamed its identical tree into place first
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        _prune_trees(cache, root)
    return Materialised(root, tuple(missing))


def fetch_missing(
    entries: Iterable[Entry],
    *,
    cache: Path,
    base_url: str = DEFAULT_BASE_URL,
    session: object | None = None,
    report: object = print,
    pypi_url: str = DEFAULT_PYPI_URL,
) -> list[tuple[Entry, str]]:
    """Download each entry; return the ones that failed, with why. Stops at
    the first server that cannot be reached (no network: say so once)."""
    failed: list[tuple[Entry, str]] = []
    containers: dict[str, bytes] = {}
    todo = list(entries)
    for i, e in enumerate(todo):
        try:
            download(
                e,
                cache=cache,
                base_url=base_url,
                session=session,
                containers=containers,
                pypi_url=pypi_url,
            )
            report(f"fetched  {e.path}")  # type: ignore[operator]
        except Unreachable as exc:
            failed += [(rest, str(exc)) for rest in todo[i:]]
            report(f"FAILED   {exc}: {len(todo) - i} files not fetched (no network?)")  # type: ignore[operator]
            break
        except FetchError as exc:
            failed.append((e, str(exc)))
            report(f"FAILED   {e.path}: {exc}")  # type: ignore[operator]
    return failed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Get the test files that are not in tests/data into the cache: "
        "from ../shared when present, else from their upstream repositories."
    )
    parser.add_argument("--list", action="store_true", help="only say what is missing")
    parser.add_argument(
        "--base-url",
        default=os.environ.get("SHOMEI_TESTDATA_BASE_URL", DEFAULT_BASE_URL),
        help="where OWNER/REPO/COMMIT/PATH is served (default: %(default)s)",
    )
    parser.add_argument(
        "--pypi-url",
        default=os.environ.get("SHOMEI_PYPI_URL", DEFAULT_PYPI_URL),
        help="the package index (PEP 691) that lists the pinned sdists (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    cache = cache_dir()
    result = materialise(cache=cache)
    total = len(load_manifest())
    print(f"{total - len(result.missing)} of {total} test files present ({result.root})")
    if args.list or not result.missing:
        for e in result.missing:
            print(f"missing  {e.path}  ({e.licence}; {e.repo} {e.upstream_path} @ {e.commit})")
        return 1 if result.missing else 0
    failed = fetch_missing(
        result.missing, cache=cache, base_url=args.base_url, pypi_url=args.pypi_url
    )
    result = materialise(cache=cache)
    print(f"{total - len(result.missing)} of {total} test files present ({result.root})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
