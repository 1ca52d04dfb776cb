"""Shared fixtures: the test PKI with its live services, the shared corpora."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.data import fetch as testdata
from tests.pki import PKI, start_pki

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
CI = os.environ.get("CI", "").lower() == "true"

# The shared test material (tests/data/files.tsv), assembled once per process
# into a tree with ../shared's layout from tests/data, the cache and ../shared
# (tests/data/fetch.py). Files that could not be had are absent from the tree.
_TESTDATA = testdata.materialise()
SHARED = _TESTDATA.root
_MISSING = frozenset(e.path for e in _TESTDATA.missing)
_MARK = "test data missing:"
_HOWTO = "run `python tests/data/fetch.py` (needs the network) or put shared/ beside the checkout"


def missing_files(*paths: Path) -> list[str]:
    """The manifest's files, at or under these paths of the tree, that are missing."""
    found: set[str] = set()
    for p in paths:
        try:
            rel = Path(p).relative_to(SHARED).as_posix()
        except ValueError:
            continue
        prefix = "" if rel == "." else rel + "/"
        found.update(m for m in _MISSING if m == rel or m.startswith(prefix))
    return sorted(found)


def _skip_or_fail(missing: list[str]) -> None:
    names = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
    if CI:
        pytest.fail(f"{_MARK} {names} (CI=true: {_HOWTO})", pytrace=False)
    pytest.skip(f"{_MARK} {names}")


def need(*paths: Path) -> None:
    """Skip the calling test (fail it when CI=true) unless each file, and every
    manifest file under each folder, is present: for tests where a missing file
    would not raise (a validator reports an unreadable file as a result)."""
    if missing := missing_files(*paths):
        _skip_or_fail(missing)


def have(path: Path) -> bool:
    """For a test tabulating a whole corpus: False leaves this file out of the
    table (and fails the test when CI=true)."""
    if missing := missing_files(path):
        if CI:
            _skip_or_fail(missing)
        return False
    return True


def _missing_from(exc: BaseException) -> list[str]:
    if isinstance(exc, FileNotFoundError) and exc.filename is not None:
        return missing_files(Path(os.fsdecode(exc.filename)))
    return []


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> Iterator[object]:
    """A test that opens a missing file of the tree skips (fails when CI=true).
    Fixtures call need() themselves: pytest keeps a fixture's first exception."""
    try:
        return (yield)
    except FileNotFoundError as exc:
        missing = _missing_from(exc)
        if not missing:
            raise
    _skip_or_fail(missing)  # outside the handler: no chained FileNotFoundError in the report
    return None


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line for all the tests that lacked test data, and how to get it."""

    def for_want_of_data(report: object) -> bool:
        # a skip's longrepr is (path, line, "Skipped: <reason>"); a failure
        # without traceback (pytrace=False) is the bare message
        longrepr = getattr(report, "longrepr", None)
        text = longrepr[2] if isinstance(longrepr, (tuple, list)) else str(longrepr)
        return text.removeprefix("Skipped: ").startswith(_MARK)

    stats = terminalreporter.stats
    hit = [r for key in ("skipped", "failed") for r in stats.get(key, []) if for_want_of_data(r)]
    if hit:
        terminalreporter.write_line(
            f"test data: {len(_MISSING)} of {len(testdata.load_manifest())} shared files missing, "
            f"{len(hit)} tests {'failed' if CI else 'skipped'} for want of them: {_HOWTO}"
        )


@pytest.fixture(scope="module")
def big_lta(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A B-LTA signature on a PDF padded to 2 MiB (tests.pdf_factory.BIG_LTA_PADDING):
    big enough that streams are read lazily and digests are speculated."""
    from tests.pdf_factory import BIG_LTA_PADDING, make_pdf
    from tests.test_validation_engine import sign

    folder = tmp_path_factory.mktemp("big-lta")
    src = make_pdf(folder / "plain.pdf", size_bytes=BIG_LTA_PADDING)
    return sign(pki, src, folder / "lta.pdf", "B-LTA")


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PKI]:
    pki = start_pki(tmp_path_factory.mktemp("pki"))
    try:
        yield pki
    finally:
        pki.stop()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The tree of shared test material (see SHARED): ../shared's layout."""
    return SHARED


@pytest.fixture(scope="session")
def softhsm(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """SoftHSM2 tokens with test-PKI keys (see tests/softhsm.py)."""
    from tests.softhsm import session_tokens

    yield from session_tokens(pki, tmp_path_factory.mktemp("softhsm"))


@pytest.fixture(scope="session", autouse=True)
def _trust_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The trusted-list cache of this test session (``shomei validate`` uses the
    EU and Japanese lists by default): never the user's own cache."""
    if "SHOMEI_CACHE_DIR" in os.environ:
        yield
        return
    os.environ["SHOMEI_CACHE_DIR"] = str(tmp_path_factory.mktemp("shomei-cache"))
    try:
        yield
    finally:
        os.environ.pop("SHOMEI_CACHE_DIR", None)


@pytest.fixture(autouse=True)
def _collect_on_the_main_thread() -> Iterator[None]:
    """Once a GUI test has run an Op, automatic garbage collection is off in
    this process (desktop.workers.collect_on_gui_thread): collect after every
    test, on the main thread, so garbage does not pile up between GUI tests."""
    yield
    import gc

    if not gc.isenabled():
        gc.collect()


@pytest.fixture(scope="module")
def csc(pki: PKI) -> Iterator[object]:
    """The remote-signing (CSC) service of tests/csc_server.py, SCAL2."""
    from tests.csc_server import start_csc

    server = start_csc(pki, scal=2)
    yield server
    server.stop()


@pytest.fixture
def cli_sign(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> object:
    """``shomei sign`` on a fresh in.pdf (tests/sign_checks.py: CliSign)."""
    from tests.pdf_factory import make_pdf
    from tests.sign_checks import CliSign

    return CliSign(make_pdf(tmp_path / "in.pdf"), tmp_path / "out.pdf", monkeypatch, capsys)


@pytest.fixture(scope="module")
def nssdb(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An NSS database (``sql:DIR``) for poppler's pdfsig, trusting the test
    root and the Japanese test architecture's JPKI signing CA."""
    import shutil
    import subprocess

    from tests.pki import ARCH, JP_ARCH

    if shutil.which("pdfsig") is None or shutil.which("certutil") is None:
        pytest.skip("poppler-utils / libnss3-tools not installed")
    db = tmp_path_factory.mktemp("nss")
    subprocess.run(["certutil", "-N", "-d", f"sql:{db}", "--empty-password"], check=True)
    for name, label, arch in (("root", "root", ARCH), ("jpki", "jpki-sign-ca", JP_ARCH)):
        subprocess.run(
            ["certutil", "-A", "-d", f"sql:{db}", "-n", name, "-t", "CT,C,C",
             "-i", str(pki.cert_pem_path(label, arch))],
            check=True,
        )  # fmt: skip
    yield f"sql:{db}"
