"""Document timestamps in the ETSI TS 119 102-2 report: files signed here
with the test PKI's live TSA (B-LTA, B-T, a timestamp-only file), a tampered
and an untrusted archive timestamp, and EU corpus files with several."""

from __future__ import annotations

import base64
import hashlib
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from io import BytesIO
from pathlib import Path

import pytest
from asn1crypto import cms, x509
from pyhanko.generated.etsi import ts_11910202
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers, timestamps
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko_certvalidator import ValidationContext
from xsdata.formats.dataclass.parsers import XmlParser

from signing.model.results import EntryKind, FileResult, Indication, SignatureResult
from signing.validation.engine import validate_pdf
from signing.validation.etsi_timestamps import NO_SIGNATURE_FOUND
from signing.validation.etsi_xml import VR
from signing.validation.options import ValidationOptions
from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD, PKI
from tests.test_validation_engine import sign, trusting

V = f"{{{VR}}}"
TIMESTAMP_TYPE = "urn:etsi:019102:validationObject:timestamp"
CERT_TYPE = "urn:etsi:019102:validationObject:certificate"
PASSED = "urn:etsi:019102:mainindication:total-passed"
SHA256_URI = "http://www.w3.org/2001/04/xmlenc#sha256"
ID_PATTERN = re.compile(r"^vo-timestamp-[0-9a-f]{64}$")
#: the schema's sequence in a ValidationObject
VO_ORDER = ["ObjectType", "ValidationObjectRepresentation", "POE", "POEProvisioning"]
VO_ORDER.append("ValidationReport")


@pytest.fixture(scope="module")
def files(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("etsi-ts")
    src = make_pdf(folder / "plain.pdf", text="ETSI timestamp report")
    out = {level: sign(pki, src, folder / f"{level}.pdf", level) for level in ("B-T", "B-LTA")}
    only = folder / "timestamp-only.pdf"
    with open(src, "rb") as fh, open(only, "wb") as dst:
        stamper = signers.PdfTimeStamper(timestamps.HTTPTimeStamper(pki.tsa_url()))
        stamper.timestamp_pdf(IncrementalPdfFileWriter(fh), "sha256", output=dst)
    out["only"] = only
    # a second archive timestamp over the first
    twice = folder / "lta-twice.pdf"
    with open(out["B-LTA"], "rb") as fh, open(twice, "wb") as dst:
        stamper = signers.PdfTimeStamper(timestamps.HTTPTimeStamper(pki.tsa_url()))
        stamper.timestamp_pdf(IncrementalPdfFileWriter(fh), "sha256", output=dst)
    out["twice"] = twice
    return out


def embedded(path: Path) -> dict[str, EmbeddedPdfSignature]:
    """The file's signatures and timestamps as pyHanko reads them, by field."""
    reader = PdfFileReader(BytesIO(path.read_bytes()), strict=False)
    return {str(e.field_name): e for e in reader.embedded_signatures}


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def token_id(emb: EmbeddedPdfSignature) -> str:
    return "vo-timestamp-" + sha256(emb.signer_info["signature"].native).hex()


def report(result: FileResult) -> ET.Element:
    assert result.etsi_report_xml is not None
    root = ET.fromstring(result.etsi_report_xml)
    assert root.tag == V + "ValidationReport"
    ids = [o.get("id") for o in root.iter(V + "ValidationObject") if o.get("id")]
    assert len(ids) == len(set(ids)), "validation object ids must be unique"
    # the schema's sequence: signature reports, then the objects
    tags = [c.tag for c in root]
    assert tags[0] == V + "SignatureValidationReport"
    assert tags.index(V + "SignatureValidationObjects") == len(tags) - 1
    # readable as a whole by pyHanko's bindings of the schema
    XmlParser().from_string(result.etsi_report_xml, ts_11910202.ValidationReport)
    return root


def doc_timestamp_links(root: ET.Element, signature_value: bytes) -> list[tuple[str, str]]:
    """The ``DocTimeStamp`` attributes of the signature with this value:
    (referenced object id, time) in order."""
    for svr in root.findall(V + "SignatureValidationReport"):
        text = svr.findtext(f"{V}SignatureIdentifier/{{*}}SignatureValue")
        if text and base64.b64decode(text) == signature_value:
            links = svr.findall(f"{V}SignatureAttributes/{V}DocTimeStamp")
            assert all(link.get("Signed") == "false" for link in links)
            return [
                (
                    str(link.find(V + "AttributeObject").get("VOReference")),  # type: ignore[union-attr]
                    str(link.findtext(V + "TimeStampValue")),
                )
                for link in links
            ]
    raise AssertionError("no report for that signature")


def objects_of(root: ET.Element, object_type: str) -> dict[str, ET.Element]:
    objects = root.find(V + "SignatureValidationObjects")
    assert objects is not None
    return {
        str(o.get("id")): o
        for o in objects.findall(V + "ValidationObject")
        if o.findtext(V + "ObjectType") == object_type
    }


def stamps(result: FileResult) -> list[SignatureResult]:
    return [s for s in result.signatures if s.kind is EntryKind.DOCUMENT_TIMESTAMP]


def xml_time(text: str | None) -> datetime:
    assert text is not None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def check_shape(vo: ET.Element) -> None:
    """Children in the schema's order, and readable by pyHanko's own bindings."""
    tags = [c.tag.removeprefix(V) for c in vo]
    assert tags == [t for t in VO_ORDER if t in tags], tags
    text = ET.tostring(vo, encoding="unicode")
    parsed = XmlParser().from_string(text, ts_11910202.ValidationObjectType)
    assert parsed.object_type == TIMESTAMP_TYPE


def test_archive_timestamp_reported(pki: PKI, files: dict[str, Path]) -> None:
    result = validate_pdf(files["B-LTA"], trusting(pki, etsi_xml=True))
    (doc_ts,) = stamps(result)
    assert doc_ts.indication is Indication.TOTAL_PASSED
    root = report(result)
    timestamps_by_id = objects_of(root, TIMESTAMP_TYPE)
    assert len(timestamps_by_id) == 1
    ((vo_id, vo),) = timestamps_by_id.items()
    check_shape(vo)
    emb = embedded(files["B-LTA"])
    ts_emb = emb[doc_ts.field_name]
    assert ID_PATTERN.match(vo_id) and vo_id == token_id(ts_emb)
    # the token itself, as a CMS ContentInfo
    der = base64.b64decode(vo.findtext(f"{V}ValidationObjectRepresentation/{V}base64") or "")
    info = cms.ContentInfo.load(der)
    assert info["content_type"].native == "signed_data"
    assert info["content"]["signer_infos"][0]["signature"].native == (
        ts_emb.signer_info["signature"].native
    )
    # passed: a proof of existence at its time, the time the JSON gives
    assert doc_ts.signature_timestamp is not None
    json_time = doc_ts.signature_timestamp.time
    assert xml_time(vo.findtext(f"{V}POE/{V}POETime")) == json_time
    assert vo.findtext(f"{V}POE/{V}TypeOfProof") == "urn:etsi:019102:poetype:validation"
    prov = vo.find(V + "POEProvisioning")
    assert prov is not None
    assert xml_time(prov.findtext(V + "POETime")) == json_time
    # it proves the signature existed: the digest of its signature value
    (ref,) = prov.findall(V + "SignatureReference")
    signature_value = emb["Sig1"].signer_info["signature"].native
    assert ref.findtext(V + "DigestMethod") == SHA256_URI
    assert base64.b64decode(ref.findtext(V + "DigestValue") or "") == sha256(signature_value)
    assert ref.findtext(V + "PAdESFieldName") == "Sig1"
    assert prov.findall(V + "ValidationObject") == []  # no earlier document timestamp
    # and the signature's report points at it
    ((linked, linked_time),) = doc_timestamp_links(root, signature_value)
    assert linked == vo_id and xml_time(linked_time) == json_time
    # its own report: status, signed data, TSA
    vr = vo.find(V + "ValidationReport")
    assert vr is not None
    assert vr.findtext(f"{V}SignatureValidationStatus/{V}MainIndication") == PASSED
    assert vr.findall(f"{V}SignatureValidationStatus/{V}SubIndication") == []
    ident = vr.find(V + "SignatureIdentifier")
    assert ident is not None
    sig_value = ident.findtext("{*}SignatureValue") or ""
    assert base64.b64decode(sig_value) == ts_emb.signer_info["signature"].native
    dtbsr = ident.findtext(f"{V}DigestAlgAndValue/{{*}}DigestValue") or ""
    assert base64.b64decode(dtbsr) == sha256(ts_emb.signer_info["signed_attrs"].dump())
    signers_doc = vr.findtext(f"{V}SignersDocument/{V}DigestAlgAndValue/{{*}}DigestValue")
    assert base64.b64decode(signers_doc or "") == ts_emb.compute_digest()
    tsa_ref = vr.find(f"{V}SignerInformation/{V}SignerCertificate")
    assert tsa_ref is not None
    tsa_id = str(tsa_ref.get("VOReference"))
    certs = objects_of(root, CERT_TYPE)
    assert tsa_id in certs, "the TSA certificate must be a validation object"
    tsa_der = base64.b64decode(
        certs[tsa_id].findtext(f"{V}ValidationObjectRepresentation/{V}base64") or ""
    )
    assert tsa_der == pki.cert_der("tsa")
    # the signature's own report is still there, once
    assert len(root.findall(V + "SignatureValidationReport")) == 1


def test_xml_changes_no_verdict(pki: PKI, files: dict[str, Path]) -> None:
    with_xml = validate_pdf(files["B-LTA"], trusting(pki, etsi_xml=True))
    without = validate_pdf(files["B-LTA"], trusting(pki, etsi_xml=False))
    assert without.etsi_report_xml is None
    assert with_xml.verdict is without.verdict

    def summary(r: FileResult) -> list[tuple[object, ...]]:
        return [(s.field_name, s.verdict, s.indication, s.subindication) for s in r.signatures]

    assert summary(with_xml) == summary(without)


def test_untrusted_tsa_has_no_proof_of_existence(files: dict[str, Path]) -> None:
    # nothing trusted: the archive timestamp cannot pass
    result = validate_pdf(files["B-LTA"], ValidationOptions(offline=True, etsi_xml=True))
    (doc_ts,) = stamps(result)
    assert doc_ts.indication is Indication.INDETERMINATE
    root = report(result)
    ((_, vo),) = objects_of(root, TIMESTAMP_TYPE).items()
    check_shape(vo)
    # it proves nothing: no POE, and no signature's report points at it
    assert vo.find(V + "POE") is None and vo.find(V + "POEProvisioning") is None
    assert not list(root.iter(V + "DocTimeStamp"))
    status = vo.find(f"{V}ValidationReport/{V}SignatureValidationStatus")
    assert status is not None
    assert status.findtext(V + "MainIndication") == "urn:etsi:019102:mainindication:indeterminate"
    assert status.findtext(V + "SubIndication") == (
        f"urn:etsi:019102:subindication:{doc_ts.subindication}"
    )
    # no validated path, but the TSA certificate is still described
    tsa_ref = vo.find(f"{V}ValidationReport/{V}SignerInformation/{V}SignerCertificate")
    assert tsa_ref is not None and tsa_ref.get("VOReference") in objects_of(root, CERT_TYPE)


def test_tampered_archive_timestamp_failed(
    pki: PKI, files: dict[str, Path], tmp_path: Path
) -> None:
    data = bytearray(files["B-LTA"].read_bytes())
    # one byte of the timestamp's own dictionary (inside its byte range,
    # after the signature's): same length, still a readable PDF
    at = bytes(data).index(b"/Type /DocTimeStamp")
    assert bytes(data).count(b"/Type /DocTimeStamp") == 1
    data[at + len("/Type")] = ord("\n")
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    result = validate_pdf(tampered, trusting(pki, etsi_xml=True))
    (doc_ts,) = stamps(result)
    assert doc_ts.indication is Indication.TOTAL_FAILED, doc_ts
    root = report(result)
    ((_, vo),) = objects_of(root, TIMESTAMP_TYPE).items()
    assert vo.find(V + "POE") is None and vo.find(V + "POEProvisioning") is None
    assert not list(root.iter(V + "DocTimeStamp"))
    status = vo.find(f"{V}ValidationReport/{V}SignatureValidationStatus")
    assert status is not None
    assert status.findtext(V + "MainIndication") == "urn:etsi:019102:mainindication:total-failed"
    assert status.findtext(V + "SubIndication") == "urn:etsi:019102:subindication:HASH_FAILURE"


def test_b_t_file_has_no_timestamp_object(pki: PKI, files: dict[str, Path]) -> None:
    result = validate_pdf(files["B-T"], trusting(pki, etsi_xml=True))
    assert not stamps(result)
    assert objects_of(report(result), TIMESTAMP_TYPE) == {}


def test_timestamp_only_file_gets_a_report(pki: PKI, files: dict[str, Path]) -> None:
    result = validate_pdf(files["only"], trusting(pki, etsi_xml=True))
    (doc_ts,) = stamps(result)
    assert doc_ts.indication is Indication.TOTAL_PASSED
    root = report(result)
    (svr,) = root.findall(V + "SignatureValidationReport")
    assert svr.findtext(f"{V}SignatureValidationStatus/{V}MainIndication") == NO_SIGNATURE_FOUND
    ((vo_id, vo),) = objects_of(root, TIMESTAMP_TYPE).items()
    check_shape(vo)
    assert vo_id == token_id(embedded(files["only"])[doc_ts.field_name])
    prov = vo.find(V + "POEProvisioning")
    assert prov is not None and prov.findall(V + "SignatureReference") == []
    assert vo.find(V + "POE") is not None


def test_field_name_not_xml_is_replaced(pki: PKI, tmp_path: Path) -> None:
    """A field name XML cannot carry (it comes from the file): the
    timestamp's reference keeps the signature, with the character replaced."""
    src = make_pdf(tmp_path / "plain.pdf", text="odd field name")
    signer = signers.SimpleSigner.load_pkcs12(
        pki.p12_path("signer-rsa"), passphrase=KEY_PASSWORD.encode()
    )
    assert signer is not None
    root_cert = x509.Certificate.load(pki.cert_der("root"))
    meta = signers.PdfSignatureMetadata(
        field_name="Sig\x01A",
        subfilter=SigSeedSubFilter.PADES,
        embed_validation_info=True,
        use_pades_lta=True,
        validation_context=ValidationContext(trust_roots=[root_cert], allow_fetching=True),
    )
    out = tmp_path / "odd.pdf"
    with open(src, "rb") as fh, open(out, "wb") as dst:
        tsa = timestamps.HTTPTimeStamper(pki.tsa_url())
        signers.PdfSigner(meta, signer, timestamper=tsa).sign_pdf(
            IncrementalPdfFileWriter(fh), output=dst
        )
    result = validate_pdf(out, trusting(pki, etsi_xml=True))
    assert result.signatures[0].field_name == "Sig\x01A"
    ((_, vo),) = objects_of(report(result), TIMESTAMP_TYPE).items()
    assert vo.findtext(f"{V}POEProvisioning/{V}SignatureReference/{V}PAdESFieldName") == (
        "Sig\ufffdA"
    )


EU = "corpus/eu/pdf"


def two_stamps(
    path: Path, result: FileResult
) -> tuple[
    dict[str, EmbeddedPdfSignature],
    ET.Element,
    dict[str, ET.Element],
    tuple[SignatureResult, str],
    tuple[SignatureResult, str],
]:
    """The file's two document timestamps, in the order they were added, each
    with its validation object's id, once the report is seen to hold exactly
    those two timestamp objects; also the embedded signatures, the report's
    root and its timestamp objects by id."""
    first, second = stamps(result)
    emb = embedded(path)
    assert emb[first.field_name].signed_revision < emb[second.field_name].signed_revision
    root = report(result)
    found = objects_of(root, TIMESTAMP_TYPE)
    first_id, second_id = token_id(emb[first.field_name]), token_id(emb[second.field_name])
    assert set(found) == {first_id, second_id}
    return emb, root, found, (first, first_id), (second, second_id)


def test_second_archive_timestamp_covers_the_first(pki: PKI, files: dict[str, Path]) -> None:
    """A signature, then two document timestamps: each provides proof of
    existence for the signature, the second also for the first timestamp."""
    path = files["twice"]
    result = validate_pdf(path, trusting(pki, etsi_xml=True))
    emb, root, found, (first, first_id), (second, second_id) = two_stamps(path, result)
    assert first.indication is second.indication is Indication.TOTAL_PASSED
    (sig,) = [s for s in result.signatures if s.kind is EntryKind.SIGNATURE]
    value = emb[sig.field_name].signer_info["signature"].native
    for vo_id, ts in ((first_id, first), (second_id, second)):
        vo = found[vo_id]
        check_shape(vo)
        assert vo.find(V + "POE") is not None
        prov = vo.find(V + "POEProvisioning")
        assert prov is not None
        assert xml_time(prov.findtext(V + "POETime")) == ts.claimed_time
        (ref,) = prov.findall(V + "SignatureReference")
        assert base64.b64decode(ref.findtext(V + "DigestValue") or "") == sha256(value)
    covered = [
        r.get("VOReference")
        for r in found[second_id].findall(f"{V}POEProvisioning/{V}ValidationObject")
    ]
    assert covered == [first_id]
    assert found[first_id].findall(f"{V}POEProvisioning/{V}ValidationObject") == []
    assert [i for i, _ in doc_timestamp_links(root, value)] == [first_id, second_id]


def test_eu_file_with_two_archive_timestamps(shared_dir: Path) -> None:
    """DSS's pades-ltv.pdf: a signature, then two document timestamps whose
    TSA is not trusted here: both are reported, neither provides a POE."""
    path = shared_dir / EU / "dss__pades-ltv.pdf"
    result = validate_pdf(path, ValidationOptions(offline=True, etsi_xml=True))
    _, root, found, (first, first_id), (second, second_id) = two_stamps(path, result)
    for vo_id, ts in ((first_id, first), (second_id, second)):
        vo = found[vo_id]
        check_shape(vo)
        assert ts.indication is not Indication.TOTAL_PASSED
        assert vo.find(V + "POE") is None and vo.find(V + "POEProvisioning") is None
    assert not list(root.iter(V + "DocTimeStamp"))


def test_eu_timestamp_before_the_signature_covers_none(shared_dir: Path) -> None:
    """DSS-2821.pdf: the document timestamp came first, the signature after:
    it proves nothing about that signature."""
    path = shared_dir / EU / "dss__DSS-2821.pdf"
    result = validate_pdf(path, ValidationOptions(offline=True, etsi_xml=True))
    assert [s.kind for s in result.signatures] == [
        EntryKind.DOCUMENT_TIMESTAMP,
        EntryKind.SIGNATURE,
    ]
    root = report(result)
    ((_, vo),) = objects_of(root, TIMESTAMP_TYPE).items()
    assert vo.findall(f"{V}POEProvisioning/{V}SignatureReference") == []
    (sig,) = [s for s in result.signatures if s.kind is EntryKind.SIGNATURE]
    value = embedded(path)[sig.field_name].signer_info["signature"].native
    assert doc_timestamp_links(root, value) == []


def test_eu_duplicated_timestamp_keeps_ids_unique(shared_dir: Path) -> None:
    """pades-t-duplicated-doctst.pdf: the same token twice (one copy fails):
    one validation object per token id, the report stays valid."""
    path = shared_dir / EU / "dss__pades-t-duplicated-doctst.pdf"
    result = validate_pdf(path, ValidationOptions(offline=True, etsi_xml=True))
    assert len(stamps(result)) == 2
    found = objects_of(report(result), TIMESTAMP_TYPE)  # (report() checks uniqueness)
    assert len(found) == 1
