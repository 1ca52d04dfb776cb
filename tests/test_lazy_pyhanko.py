"""pyhanko.sign's package code runs on first use of its own names
(:mod:`signing.lazy_pyhanko`): a validation imports no signer, and every path
that signs works whether a validation ran first in the same process or not,
in every import order. Each case runs in a fresh interpreter (the deferral
acts on a process's imports)."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from signing import lazy_pyhanko
from signing.model.results import Level
from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD, PKI
from tests.sign_helpers import sign_with_pki

ROOT = Path(__file__).resolve().parents[1]

#: every module of ours that signs, or makes a key that signs
SIGNING_MODULES = sorted(
    ".".join(p.relative_to(ROOT).with_suffix("").parts)
    for folder in ("signing/sign", "signing/keys")
    for p in (ROOT / folder).glob("*.py")
    if p.name != "__init__.py"
)


def _python(script: str, pythonpath: str | None = None, timeout: float = 240) -> str:
    env = dict(os.environ, PYTHONPATH=pythonpath or str(ROOT), QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    return out.stdout


def test_sign_names_are_the_packages() -> None:
    """What pyhanko/sign/__init__.py defines is what the stand-in answers for:
    only imports from .signers and its ``__all__``."""
    spec = importlib.util.find_spec("pyhanko.sign")
    assert spec is not None and spec.loader is not None
    source = spec.loader.get_source("pyhanko.sign")  # type: ignore[attr-defined]
    defined: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.ImportFrom):
            assert node.level == 1 and node.module == "signers", ast.dump(node)
            defined.update(alias.asname or alias.name for alias in node.names)
        else:
            assert isinstance(node, ast.Assign), ast.dump(node)
            assert [t.id for t in node.targets if isinstance(t, ast.Name)] == ["__all__"]
            defined.add("__all__")
            assert set(ast.literal_eval(node.value)) == lazy_pyhanko.SIGN_NAMES
    assert defined == lazy_pyhanko.SIGN_NAMES | {"__all__"}


def test_a_validation_imports_no_signer(pki: PKI, tmp_path: Path) -> None:
    signed = sign_with_pki(pki, make_pdf(tmp_path / "in.pdf"), tmp_path / "lt.pdf", Level.B_LT)
    out = _python(
        f"""
        import sys
        from datetime import datetime, timedelta, timezone
        from signing.cli.main import main
        argv = ["validate", "--offline", "--no-eu", "--no-jp",
                "--trust", {str(pki.cert_pem_path("root"))!r}, {str(signed)!r}]
        code = main(argv)
        # days later: the OCSP responses are stale, the chain is checked
        # again at the signature timestamp's time (a second pyHanko process)
        later = datetime.now(timezone.utc) + timedelta(days=3)
        later_code = main([*argv, "--at", later.isoformat()])
        print(code, later_code, "pyhanko.sign.signers" in sys.modules, "aiohttp" in sys.modules,
              type(sys.modules["pyhanko.sign"].__loader__).__name__)
        """
    )
    assert out.split()[-5:] == ["0", "0", "False", "False", "_DeferringLoader"]


def test_aiohttp_names_are_the_packages() -> None:
    spec = importlib.util.find_spec(lazy_pyhanko.AIOHTTP_PACKAGE)
    assert spec is not None and spec.loader is not None
    source = spec.loader.get_source(lazy_pyhanko.AIOHTTP_PACKAGE)  # type: ignore[attr-defined]
    (names,) = [
        ast.literal_eval(node.value)
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign)
        and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["__all__"]
    ]
    assert set(names) == lazy_pyhanko.AIOHTTP_NAMES


def test_the_aiohttp_backend_stand_in_makes_the_real_one() -> None:
    """pyHanko's ades makes its default backend (when a policy has none) and
    closes it: the stand-in makes the real one, with the same arguments."""
    _python(
        """
        import asyncio, sys
        import signing  # (installs the deferral)
        import pyhanko.sign.validation.ades as ades
        assert "aiohttp" not in sys.modules
        backend = ades.AIOHttpFetcherBackend(per_request_timeout=3)
        assert "aiohttp" in sys.modules
        from pyhanko_certvalidator import ValidationContext
        from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend
        assert type(backend) is AIOHttpFetcherBackend is not ades.AIOHttpFetcherBackend
        assert backend.per_request_timeout == 3
        assert "versionadded" in AIOHttpFetcherBackend.__doc__
        fetchers = backend.get_fetchers()
        assert type(fetchers.ocsp_fetcher).__name__ == "AIOHttpOCSPFetcher"
        asyncio.run(backend.close())
        # (its default backend, through the package: get_fetchers on the real one)
        assert ValidationContext(allow_fetching=True).fetching_allowed
        assert type(ades.AIOHttpFetcherBackend()) is AIOHttpFetcherBackend
        """
    )


@pytest.mark.parametrize("first", SIGNING_MODULES)
@pytest.mark.parametrize("validation_first", [False, True], ids=["alone", "after-validation"])
def test_each_signing_module_imported_first(first: str, validation_first: bool) -> None:
    """A signing module as the process's first import (or the first after the
    validation's pyHanko modules), then pyHanko's signing names by every door."""
    before = "import signing.validation.pipeline" if validation_first else ""
    _python(
        f"""
        import sys
        {before}
        import {first}
        from pyhanko.sign import PdfSigner, Signer, signers, DEFAULT_MD
        from pyhanko.sign.signers.csc_signer import CSCSigner
        import pyhanko.sign.timestamps, pyhanko.sign.validation
        from pyhanko.sign import *  # noqa: F403
        assert PdfSigner is signers.PdfSigner and Signer is signers.Signer
        assert issubclass(CSCSigner, Signer) and DEFAULT_MD == signers.DEFAULT_MD
        assert sign_pdf is signers.sign_pdf  # noqa: F405
        assert type(sys.modules["pyhanko.sign"].__loader__).__name__ == "_DeferringLoader"
        """
    )


def test_pyhankos_own_first_imports_after_a_validation() -> None:
    """pyHanko's submodules that ask the package for a name while they load
    (csc_signer: ``from pyhanko.sign import Signer``) and for a submodule
    (pdf_signer: ``from pyhanko.sign import attributes``), and two threads
    asking for a name at once."""
    _python(
        """
        import threading
        import signing.validation.pipeline
        from pyhanko.sign.signers.csc_signer import CSCSigner
        import pyhanko.sign as package
        got = []
        threads = [threading.Thread(target=lambda: got.append(package.PdfTimeStamper))
                   for _ in range(4)]
        for t in threads: t.start()
        for t in threads: t.join()
        from pyhanko.sign.signers import PdfTimeStamper
        assert got == [PdfTimeStamper] * 4, got
        try:
            package.no_such_name
        except AttributeError:
            pass
        else:
            raise AssertionError("an unknown name must raise AttributeError")
        """
    )


def _cli_steps(pki: PKI, tmp_path: Path) -> dict[str, list[str]]:
    root = str(pki.cert_pem_path("root"))
    src = make_pdf(tmp_path / "in.pdf")
    lt = sign_with_pki(pki, src, tmp_path / "lt.pdf", Level.B_LT)
    bt = sign_with_pki(pki, src, tmp_path / "bt.pdf", Level.B_T)
    password = tmp_path / "password.txt"
    password.write_text(KEY_PASSWORD, encoding="utf-8")
    tsa = pki.tsa_url()
    key = f"p12:{pki.p12_path('signer-rsa')}"
    seal_key = f"p12:{pki.p12_path('seal-ec')}"
    out = str(tmp_path / "out")
    return {
        "validate": ["validate", "--offline", "--no-eu", "--no-jp", "--trust", root, str(lt)],
        "sign": ["sign", str(src), "-o", f"{out}-signed.pdf", "--key", key, "--tsa", tsa,
                 "--trust", root, "--password-file", str(password)],
        "seal": ["seal", str(src), "-o", f"{out}-sealed.pdf", "--key", seal_key,
                 "--level", "B-T", "--tsa", tsa, "--password-file", str(password)],
        "timestamp": ["timestamp", str(src), "-o", f"{out}-ts.pdf", "--tsa", tsa],
        "extend": ["extend", str(bt), "-o", f"{out}-lta.pdf", "--tsa", tsa, "--trust", root],
    }  # fmt: skip


@pytest.mark.parametrize(
    "order",
    [
        ("validate", "sign", "validate"),
        ("sign", "validate"),
        ("validate", "seal"),
        ("validate", "timestamp"),
        ("validate", "extend"),
        ("extend", "timestamp", "validate", "sign"),
    ],
    ids="-".join,
)
def test_commands_in_one_process(pki: PKI, tmp_path: Path, order: tuple[str, ...]) -> None:
    """The CLI's commands one after the other in one process, as a script
    embedding ``signing.cli.main`` (or the app) runs them."""
    steps = _cli_steps(pki, tmp_path)
    argv = [steps[name] for name in order]
    out = _python(
        f"""
        import json
        from signing.cli.main import main
        print(json.dumps([main(a) for a in {argv!r}]))
        """
    )
    assert json.loads(out.splitlines()[-1]) == [0] * len(order), out
    for name in order:
        if name != "validate":
            made = Path(steps[name][steps[name].index("-o") + 1])
            assert made.stat().st_size > 0, name


def test_the_desktop_signs_after_validating(pki: PKI, tmp_path: Path) -> None:
    """The desktop's worker path: a verdict, then a signature, in one process."""
    src = make_pdf(tmp_path / "in.pdf")
    signed = sign_with_pki(pki, src, tmp_path / "lt.pdf", Level.B_LT)
    root = str(pki.cert_pem_path("root"))
    job = {
        "signed": str(signed),
        "src": str(src),
        "out": str(tmp_path / "gui-signed.pdf"),
        "p12": str(pki.p12_path("signer-rsa")),
        "tsa": pki.tsa_url(),
        "root": root,
        "password": KEY_PASSWORD,
    }
    out = _python(
        f"""
        import json, threading
        from desktop import core_adapter as ca
        from signing.secrets import FixedSecret
        job = json.loads({json.dumps(job)!r})
        config = ca.ValidationConfig(eu_trust=False, jp_trust=False,
                                     user_anchors=(job["root"],), online=False)
        first = ca.validate_file(job["signed"], config)
        outcome = ca.sign(
            ca.SignJob(job["src"], job["out"], ca.KeyChoice("pkcs12", path=job["p12"]),
                       level="B-LT", tsa_urls=(job["tsa"],), trust_roots=(job["root"],)),
            FixedSecret(job["password"]), threading.Event())
        second = ca.validate_file(outcome.output_path, config)
        print(first.verdict.name, second.verdict.name)
        """
    )
    assert out.split()[-2:] == ["VALID", "VALID"]


def test_pyhanko_from_an_archive_loader(pki: PKI, tmp_path: Path) -> None:
    """The deferral asks the finders after it and wraps their loader: it
    needs no file path (PyInstaller's bundle loads pyHanko from its PYZ
    archive). pyHanko here comes from a zip archive (zipimport's loader)."""
    spec = importlib.util.find_spec("pyhanko.sign")
    assert spec is not None and spec.submodule_search_locations
    package = Path(spec.submodule_search_locations[0]).parent
    archive = tmp_path / "pyhanko.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(package, "pyhanko")  # (folder entries: zipimport's namespace portions)
        for path in sorted(package.rglob("*")):
            if "__pycache__" not in path.parts:
                zf.write(path, Path("pyhanko") / path.relative_to(package))
    steps = _cli_steps(pki, tmp_path)
    argv = [steps["validate"], steps["sign"], steps["validate"]]
    out = _python(
        f"""
        import json, sys
        from signing.cli.main import main
        codes = [main(a) for a in {argv!r}]
        module = sys.modules["pyhanko.sign"]
        print(json.dumps([codes, type(module.__loader__.real).__name__, module.__file__]))
        """,
        pythonpath=os.pathsep.join([str(archive), str(ROOT)]),
    )
    codes, loader, where = json.loads(out.splitlines()[-1])
    assert codes == [0, 0, 0]
    assert loader == "zipimporter" and str(archive) in where
