"""What a one-file ``shomei validate`` loads: no ETSI report classes (pyHanko's
generated XML bindings, ~0.25 s to import) unless an output carries the XML,
no process pool machinery for one file, no signing code (pyHanko's signers,
aiohttp, the signing commands: issue #19)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pdf_factory import make_pdf
from tests.pki import PKI
from tests.test_validation_engine import sign

REPO = Path(__file__).resolve().parent.parent

PROBE = """
import json, sys
from signing.cli.main import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "etsi": "pyhanko.generated.etsi" in sys.modules,
                  "pool": "concurrent.futures.process" in sys.modules,
                  "signing": sorted({"pyhanko.sign.signers", "aiohttp", "signing.cli.sign_cmd"}
                                    & set(sys.modules))}))
"""


@pytest.fixture(scope="module")
def signed(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("startup")
    return sign(pki, make_pdf(folder / "plain.pdf"), folder / "lt.pdf", "B-LT")


def _probe(*args: str) -> dict[str, object]:
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONWARNINGS="ignore")
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, check=True
    )
    data: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return data


def test_one_file_loads_no_etsi_classes_and_no_pool(pki: PKI, signed: Path, tmp_path: Path) -> None:
    root = str(pki.cert_pem_path("root"))
    base = ("validate", "--offline", "--no-eu", "--no-jp", "--trust", root, str(signed))
    plain = _probe(*base)
    assert plain == {"code": 0, "etsi": False, "pool": False, "signing": []}
    # the XML report still comes, with its classes, when asked for
    xml = _probe(*base, "--xml", str(tmp_path / "out.xml"))
    assert xml["code"] == 0 and xml["etsi"] is True
    assert (tmp_path / "out.xml").read_text().count("SignatureValidationReport") >= 1


@pytest.mark.parametrize("enabled", [True, False])
def test_collection_resumes_as_it_was(
    pki: PKI, signed: Path, enabled: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    """The setup runs with the collector off; afterwards it is on again, or
    still off for a host that had switched it off (the GUI)."""
    import gc

    from signing.cli.main import main

    root = str(pki.cert_pem_path("root"))
    was = gc.isenabled()
    # (the state under test, whatever an earlier GUI test in this process left)
    if enabled:
        gc.enable()
    else:
        gc.disable()
    try:
        code = main(["validate", "--offline", "--no-eu", "--no-jp", "--trust", root, str(signed)])
        assert code == 0, capsys.readouterr()
        assert gc.isenabled() is enabled
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()


def test_a_subcommands_parser_is_the_same_alone() -> None:
    """``build_parser(command)`` registers only that command's module: its
    options, defaults and help are those of the full parser."""
    from signing.cli.main import COMMAND_OF, build_parser

    def sub(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
        (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        return dict(action.choices)

    full = sub(build_parser())
    assert set(full) == set(COMMAND_OF)
    for name, parser in full.items():
        alone = sub(build_parser(name))
        assert name in alone and set(alone) <= set(full)
        assert alone[name].format_help() == parser.format_help()
        assert _options(alone[name]) == _options(parser)


def _options(parser: argparse.ArgumentParser) -> list[tuple[object, ...]]:
    return [
        (a.dest, a.option_strings, a.default, a.required, list(a.choices or ()))
        for a in parser._actions
    ]
