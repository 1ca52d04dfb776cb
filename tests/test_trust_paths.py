"""The path a trust column decided on (:func:`signing.trust.trust_path.trust_path`),
over the test PKI: it ends at the column's first anchor, and when the chain stops short
it names the issuer that was not found."""

from __future__ import annotations

from signing.reports.columns_text import path_text
from signing.trust.trust_path import trust_path
from tests.pki import PKI


def _names(path: object) -> list[str | None]:
    return [c.common_name for c in getattr(path, "certificates", ())]


def test_path_ends_at_the_columns_anchor(pki: PKI) -> None:
    signer, interm, root = (pki.cert_der(x) for x in ("signer-rsa", "interm", "root"))
    # the validated path (signer side first), the root an anchor of this column
    path = trust_path(signer, [interm, root], [], anchors={root: "eu-tl:ZZ"})
    assert len(path.certificates) == 3 and path.anchor == "eu-tl:ZZ"
    assert path.missing_issuer is None
    # an anchor below the root cuts the path there
    path = trust_path(signer, [interm, root], [], anchors={interm: "eu-tl:ZZ"})
    assert len(path.certificates) == 2 and path.anchor == "eu-tl:ZZ"
    # built by signature from the file's certificates when nothing was validated
    path = trust_path(signer, [], [root, interm], anchors={})
    assert _names(path)[1:] == _names(trust_path(signer, [interm, root], [], anchors={}))[1:]
    assert path.anchor is None and path.missing_issuer is None  # complete, no anchor
    text = path_text(path, "en", eu=True)
    assert text.endswith("(no EU trusted list names these certificates)")


def test_incomplete_chain_names_the_missing_issuer(pki: PKI) -> None:
    signer, root = pki.cert_der("signer-rsa"), pki.cert_der("root")
    path = trust_path(signer, [], [root], anchors={root: "eu-tl:ZZ"})
    assert len(path.certificates) == 1 and path.anchor is None
    assert path.missing_issuer is not None
    interm_name = trust_path(pki.cert_der("interm"), [], [], anchors={}).certificates[0]
    assert path.missing_issuer == interm_name.subject
    en = path_text(path, "en", eu=False)
    # named by its common name, as the chain's certificates are (the readable
    # DN's English attribute names never sit in the Japanese)
    assert interm_name.common_name and interm_name.common_name != interm_name.subject
    assert en.endswith(f"(chain incomplete: issuer {interm_name.common_name} not found)")
    ja = path_text(path, "ja", eu=False)
    assert f"チェーン不完全：発行者 {interm_name.common_name} が見つからない" in ja
    assert "Common Name" not in ja


def test_japanese_path_text_uses_japanese_punctuation(pki: PKI) -> None:
    signer, interm, root = (pki.cert_der(x) for x in ("signer-rsa", "interm", "root"))
    path = trust_path(signer, [interm, root], [], anchors={root: "jp-tl:Root"})
    ja = path_text(path, "ja", eu=False)
    assert ja.endswith("（アンカー：jp-tl:Root）")
    assert " (" not in ja and ", " not in ja and "; " not in ja
    assert path_text(path, "en", eu=False).endswith(" (anchor: jp-tl:Root)")
