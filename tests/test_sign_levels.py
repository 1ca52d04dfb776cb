"""Signing and sealing at every PAdES level, checked by pdfsig and mutool
(validators that are not pyHanko) against the live test PKI."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from signing.keys.pkcs12 import Pkcs12KeySource
from signing.secrets import FixedSecret
from signing.sign.request import (
    CertifyLevel,
    FieldPlacement,
    Level,
    SignedResult,
    SignMode,
    SignRequest,
)
from signing.sign.signer import sign_batch, sign_pdf
from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD, PKI
from tests.sign_checks import assert_mutool_ok, assert_pdfsig_ok, make_nss_db, sha256

BOX = FieldPlacement(page=1, box=(50, 50, 250, 120))
INVISIBLE = FieldPlacement.invisible()


@pytest.fixture(scope="module")
def nss(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> str:
    return make_nss_db(tmp_path_factory.mktemp("nss"), pki.cert_pem_path("root"))


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_pdf(tmp_path_factory.mktemp("src") / "in.pdf", pages=2)


def request(
    pki: PKI,
    src: Path,
    out: Path,
    *,
    label: str = "signer-rsa",
    level: Level | None = Level.B_B,
    placement: FieldPlacement = INVISIBLE,
    mode: SignMode = SignMode.SIGN,
    **kw: object,
) -> SignRequest:
    return SignRequest(
        input_path=src,
        output_path=out,
        key_source=Pkcs12KeySource(pki.p12_path(label)),
        mode=mode,
        level=level,
        tsa_urls=(pki.tsa_url(),),
        trust_roots=(pki.cert_pem_path("root"),),
        placement=placement,
        **kw,  # type: ignore[arg-type]
    )


def sign(req: SignRequest) -> SignedResult:
    return sign_pdf(req, FixedSecret(KEY_PASSWORD))


def _dss(path: Path) -> dict[str, int]:
    with path.open("rb") as f:
        root = PdfFileReader(f).root
        if "/DSS" not in root:
            return {}
        dss = root["/DSS"]
        return {k: len(dss[k]) for k in ("/Certs", "/OCSPs", "/CRLs") if k in dss}


@pytest.mark.parametrize("level", [Level.B_B, Level.B_T, Level.B_LT, Level.B_LTA])
@pytest.mark.parametrize("label", ["signer-rsa", "signer-ec"])
@pytest.mark.parametrize("visible", [False, True], ids=["invisible", "visible"])
def test_each_level_checks_out_with_pdfsig_and_mutool(
    pki: PKI, nss: str, source: Path, tmp_path: Path, level: Level, label: str, visible: bool
) -> None:
    before = sha256(source)
    out = tmp_path / "signed.pdf"
    result = sign(
        request(
            pki,
            source,
            out,
            label=label,
            level=level,
            placement=BOX if visible else BOX.invisible(),
        )
    )
    assert result.level is level
    assert result.output_path == out and out.stat().st_size == result.size
    assert sha256(source) == before
    assert [p.name for p in tmp_path.iterdir()] == ["signed.pdf"]  # no temp file left
    assert_pdfsig_ok(out, nss, fields=[result.field_name])
    assert_mutool_ok(out, last_covers_all=level is not Level.B_LTA)

    with out.open("rb") as f:
        reader = PdfFileReader(f)
        sig = reader.embedded_regular_signatures[0]
        assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
        has_tst = "signature_time_stamp_token" in {
            a["type"].native for a in sig.signer_info["unsigned_attrs"] or ()
        }
        assert has_tst == (level is not Level.B_B)
        doc_ts = reader.embedded_timestamp_signatures
        assert len(doc_ts) == (1 if level is Level.B_LTA else 0)
        annot = sig.sig_field.get("/Rect")
        width = float(annot[2]) - float(annot[0]) if annot is not None else 0.0
        assert (width > 0) == visible
    dss = _dss(out)
    if level in (Level.B_LT, Level.B_LTA):
        # revocation data for the signer chain (OCSP for the signer, CRL for
        # the intermediate) and the TSA chain (root CRL)
        assert dss.get("/OCSPs", 0) >= 1 and dss.get("/CRLs", 0) >= 1, dss
        assert dss.get("/Certs", 0) >= 3, dss
    else:
        assert not dss


@pytest.mark.parametrize("label", ["seal-rsa", "seal-ec"])
def test_seal_mode_with_a_seal_certificate_has_no_warning(
    pki: PKI, nss: str, source: Path, tmp_path: Path, label: str
) -> None:
    out = tmp_path / "sealed.pdf"
    result = sign(
        request(pki, source, out, label=label, mode=SignMode.SEAL, level=Level.B_T, placement=BOX)
    )
    assert result.warnings == ()
    assert result.signer is not None and result.signer.organisation == "Shomei Test Company"
    assert result.field_name.startswith("Seal")
    assert_pdfsig_ok(out, nss)
    assert_mutool_ok(out)


def test_mode_contradicting_qc_type_warns(pki: PKI, source: Path, tmp_path: Path) -> None:
    seal_as_sign = sign(request(pki, source, tmp_path / "a.pdf", label="seal-rsa"))
    assert any("eseal" in w for w in seal_as_sign.warnings)
    sign_as_seal = sign(
        request(pki, source, tmp_path / "b.pdf", label="signer-ec", mode=SignMode.SEAL)
    )
    assert any("esign" in w for w in sign_as_seal.warnings)
    plain = sign(request(pki, source, tmp_path / "c.pdf", label="signer-ec"))
    assert plain.warnings == ()


def test_default_level_is_b_lt_with_a_tsa(pki: PKI, source: Path, tmp_path: Path) -> None:
    result = sign(request(pki, source, tmp_path / "d.pdf", level=None))
    assert result.level is Level.B_LT
    assert _dss(tmp_path / "d.pdf").get("/OCSPs", 0) >= 1


def test_second_signature_keeps_the_first_valid(
    pki: PKI, nss: str, source: Path, tmp_path: Path
) -> None:
    first = sign(request(pki, source, tmp_path / "one.pdf", level=Level.B_LT, placement=BOX))
    second = sign(
        request(
            pki,
            first.output_path,
            tmp_path / "two.pdf",
            label="seal-ec",
            mode=SignMode.SEAL,
            level=Level.B_T,
            placement=FieldPlacement(page=2, box=(300, 50, 500, 120)),
        )
    )
    assert second.field_name != first.field_name
    # incremental update: the first file is a prefix of the second
    one, two = first.output_path.read_bytes(), second.output_path.read_bytes()
    assert two.startswith(one)
    assert_pdfsig_ok(second.output_path, nss, fields=[first.field_name, second.field_name])
    out = assert_mutool_ok(second.output_path)
    del out


def test_existing_empty_field_is_filled(pki: PKI, nss: str, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "fields.pdf", empty_fields=["Approval", "Review"])
    result = sign(
        request(pki, src, tmp_path / "out.pdf", placement=FieldPlacement.existing("Review"))
    )
    assert result.field_name == "Review"
    assert_pdfsig_ok(result.output_path, nss, fields=["Review"])


@pytest.mark.parametrize(
    ("certify", "perm"),
    [
        (CertifyLevel.NO_CHANGES, 1),
        (CertifyLevel.FORM_FILLING, 2),
        (CertifyLevel.ANNOTATIONS, 3),
    ],
)
def test_certification_signature(
    pki: PKI, nss: str, source: Path, tmp_path: Path, certify: CertifyLevel, perm: int
) -> None:
    out = tmp_path / "cert.pdf"
    sign(
        request(
            pki,
            source,
            out,
            level=Level.B_T,
            certify=certify,
            reason="Approved",
            location="Tokyo",
            contact="alice@example.test",
        )
    )
    assert_pdfsig_ok(out, nss)
    with out.open("rb") as f:
        reader = PdfFileReader(f)
        sig = reader.embedded_regular_signatures[0]
        assert sig.docmdp_level is not None and sig.docmdp_level.value == perm
        assert sig.sig_object["/Reason"] == "Approved"
        assert sig.sig_object["/Location"] == "Tokyo"
        assert sig.sig_object["/ContactInfo"] == "alice@example.test"


def test_password_protected_pdf(pki: PKI, nss: str, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "locked.pdf", user_password="open sesame")

    class Answers:
        def ask(self, req: object) -> str:
            from signing.secrets import SecretKind, SecretRequest

            assert isinstance(req, SecretRequest)
            return KEY_PASSWORD if req.kind is SecretKind.KEY_PASSWORD else "open sesame"

    out = tmp_path / "signed.pdf"
    sign_pdf(request(pki, src, out, level=Level.B_LT), Answers())
    with out.open("rb") as f:
        reader = PdfFileReader(f)
        assert reader.encrypted
        reader.decrypt("open sesame")
        assert len(reader.embedded_signatures) == 1
    assert_mutool_ok(out)


def test_millimetre_box_lands_where_asked(pki: PKI, source: Path, tmp_path: Path) -> None:
    placement = FieldPlacement(page=2, box=(10, 10, 80, 35), unit="mm")
    result = sign(request(pki, source, tmp_path / "mm.pdf", placement=placement))
    with result.output_path.open("rb") as f:
        reader = PdfFileReader(f)
        sig = reader.embedded_regular_signatures[0]
        rect = [round(float(v), 1) for v in sig.sig_field["/Rect"]]
        assert rect == [28.3, 28.3, 226.8, 99.2]
        page2 = reader.root["/Pages"]["/Kids"][1]
        assert any(a.get_object() is sig.sig_field for a in page2["/Annots"]) or any(
            a.idnum == sig.sig_field.container_ref.idnum for a in page2["/Annots"]
        )


def test_batch_uses_one_key_load(pki: PKI, nss: str, source: Path, tmp_path: Path) -> None:
    asked: list[str] = []

    class Counting:
        def ask(self, req: object) -> str:
            asked.append("x")
            return KEY_PASSWORD

    key = Pkcs12KeySource(pki.p12_path("seal-rsa"))
    reqs = [
        SignRequest(
            input_path=source,
            output_path=tmp_path / f"out{i}.pdf",
            key_source=key,
            mode=SignMode.SEAL,
        )
        for i in range(5)
    ]
    reqs.append(
        SignRequest(
            input_path=tmp_path / "missing.pdf",
            output_path=tmp_path / "bad.pdf",
            key_source=key,
            mode=SignMode.SEAL,
        )
    )
    progress: list[tuple[int, int]] = []
    outcomes = sign_batch(reqs, Counting(), progress=lambda d, t: progress.append((d, t)))
    assert len(asked) == 1
    assert all(isinstance(o, SignedResult) for o in outcomes[:5])
    assert not isinstance(outcomes[5], SignedResult)
    assert progress[-1] == (6, 6)
    assert not (tmp_path / "bad.pdf").exists()
    assert_pdfsig_ok(tmp_path / "out4.pdf", nss)


def test_signed_attributes_name_the_signer(pki: PKI, source: Path, tmp_path: Path) -> None:
    """The cached signing-certificate-v2 attribute still identifies the cert
    of each signature (checked over two signatures with two keys)."""
    import hashlib

    first = sign(request(pki, source, tmp_path / "a.pdf", label="signer-ec"))
    second = sign(request(pki, first.output_path, tmp_path / "b.pdf", label="seal-rsa"))
    with second.output_path.open("rb") as f:
        for sig in PdfFileReader(f).embedded_regular_signatures:
            attrs = {a["type"].native: a["values"][0] for a in sig.signer_info["signed_attrs"]}
            (ess,) = attrs["signing_certificate_v2"]["certs"]
            assert ess["cert_hash"].native == hashlib.sha256(sig.signer_cert.dump()).digest()
            serial = ess["issuer_serial"]["serial_number"].native
            assert serial == sig.signer_cert.serial_number
            assert {"content_type", "message_digest"} <= set(attrs)
            assert "signing_time" not in attrs  # PAdES: the time is in /M


def test_b_lta_on_a_b_lta_document(pki: PKI, nss: str, source: Path, tmp_path: Path) -> None:
    first = sign(request(pki, source, tmp_path / "one.pdf", level=Level.B_LTA))
    second = sign(
        request(pki, first.output_path, tmp_path / "two.pdf", label="seal-rsa", level=Level.B_LTA)
    )
    assert_pdfsig_ok(second.output_path, nss, fields=[first.field_name, second.field_name])
    with second.output_path.open("rb") as f:
        assert len(PdfFileReader(f).embedded_timestamp_signatures) == 2


def test_batch_cancel_stops_the_rest(pki: PKI, source: Path, tmp_path: Path) -> None:
    from signing.errors import UserCancelled

    key = Pkcs12KeySource(pki.p12_path("seal-ec"))
    reqs = [
        SignRequest(input_path=source, output_path=tmp_path / f"o{i}.pdf", key_source=key)
        for i in range(4)
    ]
    done: list[int] = []
    outcomes = sign_batch(
        reqs,
        FixedSecret(KEY_PASSWORD),
        progress=lambda d, t: done.append(d),
        cancel=lambda: len(done) >= 2,
    )
    assert [type(o).__name__ for o in outcomes] == [
        "SignedResult",
        "SignedResult",
        "UserCancelled",
        "UserCancelled",
    ]
    assert isinstance(outcomes[3], UserCancelled)
    assert not (tmp_path / "o2.pdf").exists() and not (tmp_path / "o3.pdf").exists()


def test_batch_at_b_lt_reuses_the_validation_context(
    pki: PKI, nss: str, source: Path, tmp_path: Path
) -> None:
    key = Pkcs12KeySource(pki.p12_path("seal-ec"))
    reqs = [
        request(pki, source, tmp_path / f"lt{i}.pdf", label="seal-ec", level=Level.B_LT)
        for i in range(3)
    ]
    reqs = [dataclasses.replace(r, key_source=key) for r in reqs]  # one key source for all
    outcomes = sign_batch(reqs, FixedSecret(KEY_PASSWORD))
    assert all(isinstance(o, SignedResult) for o in outcomes), outcomes
    for i in range(3):
        assert _dss(tmp_path / f"lt{i}.pdf").get("/OCSPs", 0) >= 1
    assert_pdfsig_ok(tmp_path / "lt2.pdf", nss)
