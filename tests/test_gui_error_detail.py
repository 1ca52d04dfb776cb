"""An error's technical detail (a library's own words) is the error box's
collapsed "Show Details…", never its sentence."""

from __future__ import annotations

from typing import Any

import pytest
from pyhanko_certvalidator.errors import PathBuildingError

from desktop.errors_ui import error_detail, show_error
from desktop.i18n import install_language
from signing.sign.signer import translate_validation_error

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_technical_detail_is_collapsed(qapp: Any, lang: str) -> None:
    exc = translate_validation_error(PathBuildingError("no issuer matching CN=X"), "signing")
    install_language(lang)
    try:
        box = show_error(None, exc)
        assert box is not None
        assert box.detailedText() == "no issuer matching CN=X"
        assert "no issuer matching" not in box.informativeText()
        assert box.informativeText() == error_detail(exc)
        box.close()
    finally:
        install_language("en")
