"""Python warnings never reach a user's terminal; a developer can bring them back."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import warnings
    from signing.cli.quiet_warnings import quiet_third_party_warnings

    quiet_third_party_warnings()
    for module in ("pyhanko.sign.signers.pdf_cms", "cryptography.utils", "signing.sign.signer"):
        for category in (UserWarning, DeprecationWarning):
            warnings.warn_explicit(
                f"{category.__name__} from {module}", category, "f.py", 1, module=module
            )
    """
)


def _stderr(**env: str) -> str:
    environ = {
        k: v for k, v in os.environ.items() if k not in ("SHOMEI_SHOW_WARNINGS", "PYTHONWARNINGS")
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env={**environ, **env}
    )
    assert done.returncode == 0, done.stderr
    return done.stderr


def test_no_warning_reaches_a_user() -> None:
    # (a library's warning attributed to our calling module included: a
    # certificate with an over-long country name warned from signing.trust)
    assert _stderr() == ""


def test_a_developer_can_bring_them_back() -> None:
    shown = _stderr(SHOMEI_SHOW_WARNINGS="1")
    assert "UserWarning from pyhanko.sign.signers.pdf_cms" in shown
    assert "UserWarning from cryptography.utils" in shown


def test_the_program_keeps_warnings_out_of_its_worker_processes() -> None:
    """The entry point passes the quiet on to the processes it starts (a
    validation pool); a library call does not touch the environment."""
    script = (
        "import os\n"
        "from signing.cli.quiet_warnings import quiet_third_party_warnings\n"
        "quiet_third_party_warnings()\n"
        "print(os.environ.get('PYTHONWARNINGS'))\n"
        "quiet_third_party_warnings(children=True)\n"
        "print(os.environ.get('PYTHONWARNINGS'))\n"
    )
    environ = {
        k: v for k, v in os.environ.items() if k not in ("SHOMEI_SHOW_WARNINGS", "PYTHONWARNINGS")
    }
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=environ
    )
    assert done.stdout.split() == ["None", "ignore"], done.stderr
