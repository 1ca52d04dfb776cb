"""The level gate: a PAdES level is reported only once the written output,
read back from disk, shows it.

After :mod:`signing.sign.output_check` has found the new signatures intact, the
file is opened again and each signature that must reach the requested level
is measured with the validator's own rules (:func:`detect_level`): a
signature timestamp (or a later document timestamp) for B-T, revocation data
in the file for every certificate of the signer's and the TSA's chains below
the trust anchor for B-LT, a document timestamp over that data for B-LTA.
When the level is not there, :class:`LevelNotReachedError` names the cause
(no timestamp, no revocation pointers in a certificate, a responder that did
not answer) and the caller leaves no output.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import IO, Any

from signing.errors import LevelNotReachedError
from signing.model.reasons import signing as reasons
from signing.model.results import Reason

#: the order of the baseline levels
_RANK = {"none": 0, "B-B": 1, "B-T": 2, "B-LT": 3, "B-LTA": 4}


def _ocsp_and_crl_urls(cert: Any) -> list[str]:
    """The revocation pointers a certificate carries (AIA OCSP, CRL DPs)."""
    urls: list[str] = []
    try:
        urls.extend(str(u) for u in cert.ocsp_urls)
        for point in cert.crl_distribution_points:
            if point.url:
                urls.append(str(point.url))
    except (ValueError, KeyError, TypeError, AttributeError):
        pass
    return urls


def _name(cert: Any) -> str:
    try:
        cn = cert.subject.native.get("common_name")
        return str(cn) if cn else cert.subject.human_friendly
    except (ValueError, KeyError, TypeError, AttributeError):
        return "unnamed"


def _uncovered(leaf: Any, pool: Sequence[Any], data: Any, anchors: frozenset[bytes]) -> Any:
    """The first certificate of the chain (below the anchor) without
    revocation data in the file, or None."""
    from signing.validation.embedded import chain_of

    for cert in chain_of(leaf, pool):
        if cert.sha256 in anchors or cert.self_signed != "no":
            return None
        if not data.covers(cert):
            return cert
    return None


_WHO_JA = {"signer's": "署名者", "signer's chain": "署名者のチェーン"}


def _lt_cause(who: str, cert: Any, target: str) -> LevelNotReachedError:
    urls = _ocsp_and_crl_urls(cert)
    who_ja = _WHO_JA.get(who, "タイムスタンプサーバー")
    if not urls:
        return LevelNotReachedError(
            f"{target} was not reached: the {who} certificate ({_name(cert)}) names no OCSP "
            "responder and no CRL distribution point, so no revocation data can be added. "
            "Sign at B-T, or use a certificate whose CA publishes revocation status; "
            "nothing was saved.",
            ja=f"{target}に達しませんでした。{who_ja}の証明書（{_name(cert)}）には"
            "OCSPレスポンダーもCRL配布点も記載されていないため、失効情報を追加できません。"
            "B-Tで署名するか、失効情報を公開している認証局の証明書を使ってください。"
            "何も保存されていません。",
        )
    return LevelNotReachedError(
        f"{target} was not reached: no revocation data for the {who} certificate "
        f"({_name(cert)}) could be obtained from {', '.join(urls)} (the responder may be down); "
        "nothing was saved.",
        ja=f"{target}に達しませんでした。{who_ja}の証明書（{_name(cert)}）の失効情報を"
        f"{'、'.join(urls)}から取得できませんでした（応答サーバーが停止している可能性があります）。"
        "何も保存されていません。",
    )


def _timestamp_intact(token: Any, signature_value: bytes) -> bool:
    """The signature timestamp's imprint is the hash of this signature value."""
    try:
        imprint = token["content"]["encap_content_info"]["content"].parsed["message_imprint"]
        md = imprint["hash_algorithm"]["algorithm"].native
        return bool(imprint["hashed_message"].native == hashlib.new(md, signature_value).digest())
    except (ValueError, KeyError, TypeError, AttributeError):
        return False


def _dss_revision(reader: Any) -> int | None:
    """The revision that introduced the DSS (as the validator counts it)."""
    from pyhanko.pdf_utils import generic

    if "/DSS" not in reader.root:
        return None
    try:
        dss = reader.root.raw_get("/DSS")
        if isinstance(dss, generic.IndirectObject):
            return int(reader.xrefs.get_introducing_revision(dss.reference))
        return int(reader.xrefs.get_last_change(reader.trailer.raw_get("/Root").reference))
    except Exception:  # unknown: as the validator, treat as added last
        return 1 << 30


def verify_level(
    stream: IO[bytes],
    level: Any,
    *,
    fields: Sequence[str] | None = None,
    anchors: Sequence[Any] = (),
    credential: Any = None,
) -> tuple[Reason, ...]:
    """Raise :class:`LevelNotReachedError` unless every signature named in
    ``fields`` (all signatures when None) of the file on ``stream`` is at
    ``level`` (a :class:`~signing.model.results.Level`) or above.
    ``anchors`` are the trust anchors (asn1crypto certificates): the chain
    needs revocation data only below them. Returns warnings (codes
    ``extended-not-pades-baseline``, ``tsa-self-signed``)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    from signing.certs.cms import signature_timestamp_tokens
    from signing.model.results import Level
    from signing.validation.embedded import certs_of, read_dss, read_revinfo_archival
    from signing.validation.level import PADES_SUBFILTER, _tsa_cert, detect_level

    target = level.value
    stream.flush()
    stream.seek(0)
    reader = PdfFileReader(stream, strict=False)
    if reader.encrypted and credential is not None:
        reader.security_handler.authenticate(credential)
    dss = read_dss(reader)
    dss_revision = _dss_revision(reader)
    doc_ts = [
        ts.signed_revision
        for ts in reader.embedded_timestamp_signatures
        if ts.sig_object_type == "/DocTimeStamp"
    ]
    anchor_ids = frozenset(bytes(a.sha256) for a in anchors)
    warnings: list[Reason] = []
    for sig in reader.embedded_regular_signatures:
        if fields is not None and sig.field_name not in fields:
            continue
        subfilter = str(sig.sig_object.get("/SubFilter", ""))
        if subfilter != PADES_SUBFILTER:
            warnings.append(reasons.not_pades_baseline(sig.field_name, subfilter, target))
        embedded = dss.plus(read_revinfo_archival(sig.signer_info))
        later = [rev for rev in doc_ts if rev > sig.signed_revision]
        reached = detect_level(
            subfilter=PADES_SUBFILTER,
            signer_cert=sig.signer_cert,
            signed_data=sig.signed_data,
            signer_info=sig.signer_info,
            embedded=embedded,
            later_document_timestamps=later,
            dss_revision=dss_revision,
            anchors=anchor_ids,
        )
        tokens = signature_timestamp_tokens(sig.signer_info)
        value = bytes(sig.signer_info["signature"].native)
        if any(not _timestamp_intact(t, value) for t in tokens):
            raise LevelNotReachedError(
                f"{target} was not reached: the timestamp on {sig.field_name} does not match "
                "its signature; nothing was saved.",
                ja=f"{target}に達しませんでした。{sig.field_name}のタイムスタンプが署名と"
                "一致しません。何も保存されていません。",
            )
        for token in tokens:
            tsa, _certs = _tsa_cert(token)
            if tsa is not None and tsa.self_signed != "no" and tsa.sha256 not in anchor_ids:
                warnings.append(reasons.tsa_self_signed(_name(tsa), sig.field_name))
        if _RANK[reached.value] >= _RANK[target]:
            continue
        if reached is Level.B_B:
            raise LevelNotReachedError(
                f"{target} was not reached: {sig.field_name} has no timestamp (B-T needs a "
                "signature timestamp or a document timestamp over it); nothing was saved.",
                ja=f"{target}に達しませんでした。{sig.field_name}にはタイムスタンプがありません"
                "（B-Tには署名タイムスタンプか、署名を覆う文書タイムスタンプが必要です）。"
                "何も保存されていません。",
            )
        if reached is Level.B_T:
            pool = [*certs_of(sig.signed_data), *embedded.certs]
            cert = _uncovered(sig.signer_cert, pool, embedded, anchor_ids)
            if cert is not None:
                who = "signer's" if cert is sig.signer_cert else "signer's chain"
                raise _lt_cause(who, cert, target)
            for token in tokens:
                tsa, tsa_certs = _tsa_cert(token)
                cert = (
                    _uncovered(tsa, [*pool, *tsa_certs], embedded, anchor_ids)
                    if tsa is not None
                    else None
                )
                if cert is not None:
                    raise _lt_cause("time-stamping server's", cert, target)
        raise LevelNotReachedError(
            f"{target} was not reached: {sig.field_name} is at {reached.value} "
            "(no document timestamp covers its validation data); nothing was saved.",
            ja=f"{target}に達しませんでした。{sig.field_name}は{reached.value}です"
            "（検証データを覆う文書タイムスタンプがありません）。何も保存されていません。",
        )
    stream.seek(0)
    return tuple(warnings)
