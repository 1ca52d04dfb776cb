"""Shared fixtures: the test PKI with its live services, the shared corpora."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pki import PKI, start_pki

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SHOMEI_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PKI]:
    pki = start_pki(tmp_path_factory.mktemp("pki"))
    try:
        yield pki
    finally:
        pki.stop()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"shared test material not found at {SHARED}")
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
