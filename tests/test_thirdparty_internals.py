"""One test per library internal that Shomei relies on
(:mod:`signing.thirdparty_internals`).

Each test checks that the internal is still there with the shape and the
behaviour we use; when an upgrade moves or changes it, the failure names the
internal and the installed version of its library, and points at the
docstring that says what to do. A last test keeps the internals in that one
module.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import inspect
import re
import sys
import textwrap
from collections.abc import Iterator
from importlib.metadata import version
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import cms
from asn1crypto import x509 as ax509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from signing import thirdparty_internals as internals
from tests.pdf_factory import make_pdf
from tests.self_signed import self_signed_cert

ROOT = Path(__file__).resolve().parent.parent


def _version(dist: str) -> str:
    if dist == "CPython":
        return sys.version.split()[0]
    return version(dist)


@contextlib.contextmanager
def internal(name: str, dist: str) -> Iterator[None]:
    """Turn any failure inside into one loud line naming the internal."""
    try:
        yield
    except Exception as exc:  # (AssertionError included)
        pytest.fail(
            f"{dist} {_version(dist)} changed the internal {name} that Shomei relies on "
            f"({type(exc).__name__}: {exc}). See its docstring in "
            "signing/thirdparty_internals.py for what to do.",
            pytrace=False,
        )


def _params(func: Any) -> list[str]:
    return list(inspect.signature(func).parameters)


def _der(cert: Any) -> bytes:
    return bytes(cert.public_bytes(serialization.Encoding.DER))


@pytest.fixture(scope="module")
def rsa_cert() -> ax509.Certificate:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ax509.Certificate.load(_der(self_signed_cert(key, "Internals RSA")))


@pytest.fixture(scope="module")
def ec_cert_and_key() -> tuple[ax509.Certificate, Any]:
    key = ec.generate_private_key(ec.SECP256R1())
    return ax509.Certificate.load(_der(self_signed_cert(key, "Internals EC"))), key


@pytest.fixture(scope="module")
def small_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = make_pdf(tmp_path_factory.mktemp("internals") / "small.pdf")
    return Path(path)


# --- pyHanko ----------------------------------------------------------------------


def test_hex_string_reader_is_looked_up_by_name() -> None:
    with internal("pyhanko.pdf_utils.generic.read_hex_string_from_stream", "pyHanko"):
        from pyhanko.pdf_utils import generic

        original = internals.original_hex_string_reader()
        assert callable(original) and len(_params(original)) == 1
        assert original(BytesIO(b"<41 42>")).original_bytes == b"AB"
        # read_object finds it through the module's globals at call time,
        # which is what makes the replacement take effect
        assert "read_hex_string_from_stream" in generic.read_object.__code__.co_names
        assert generic.read_object.__globals__ is vars(generic)


def test_trusted_list_signature_check() -> None:
    name = "eutl_parse._validate_and_extract_tl_data_multiple_certs"
    with internal(name, "pyHanko"):
        from pyhanko.sign.validation.errors import SignatureValidationError
        from pyhanko.sign.validation.qualified import eutl_parse

        func = eutl_parse._validate_and_extract_tl_data_multiple_certs
        assert len(_params(func)) == 3, _params(func)
        unsigned = "<TrustServiceStatusList xmlns='http://uri.etsi.org/02231/v2#'/>"
        with pytest.raises(SignatureValidationError):
            internals.verify_trusted_list_signature(unsigned, [], None)


def test_integrity_checked_flag() -> None:
    with internal("EmbeddedPdfSignature._integrity_checked", "pyHanko"):
        from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

        # set by compute_integrity_info, required by summarise_integrity_info
        assert "self._integrity_checked = True" in inspect.getsource(
            EmbeddedPdfSignature.compute_integrity_info
        )
        assert "self._integrity_checked" in inspect.getsource(
            EmbeddedPdfSignature.summarise_integrity_info
        )

        class Bare:
            pass

        obj = Bare()
        internals.mark_integrity_checked(obj)
        assert vars(obj) == {"_integrity_checked": True}


def test_text_stamp_layout_hooks() -> None:
    with internal("TextStamp._inner_layout_natural_size/_render_inner_content", "pyHanko"):
        from pyhanko.pdf_utils.writer import PdfFileWriter
        from pyhanko.stamp import TextStampStyle

        calls: list[str] = []

        class Recording(internals.TextStampHooks):  # type: ignore[misc, name-defined]
            def layout_hook(self, natural: Any) -> Any:
                commands, (w, h) = natural
                assert isinstance(commands, list) and w > 0 and h > 0
                calls.append("layout")
                return natural

            def content_hook(self, commands: list[bytes]) -> list[bytes]:
                assert all(isinstance(c, bytes) for c in commands)
                calls.append("content")
                return [*commands, b"% hooked"]

        stamp = Recording(writer=PdfFileWriter(), style=TextStampStyle(stamp_text="Signed"))
        xobject = stamp.as_form_xobject()
        assert "layout" in calls and "content" in calls
        assert b"% hooked" in xobject.data


def test_stamp_fit_scale() -> None:
    """A long text in a small box is scaled down; the same text in a big box is not."""
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.writer import PdfFileWriter
    from pyhanko.stamp import TextStamp, TextStampStyle

    with internal("TextStamp._inner_layout_natural_size/_inner_content_layout_rule", "pyHanko"):
        style = TextStampStyle(stamp_text="Signed by %(signer)s on a long line of text")

        def scale(width: int, height: int) -> float:
            stamp = TextStamp(
                writer=PdfFileWriter(),
                style=style,
                text_params={"signer": "Alice"},
                box=layout.BoxConstraints(width=width, height=height),
            )
            return internals.stamp_fit_scale(stamp)

        small, big = scale(40, 10), scale(4000, 1000)
        assert 0 < small < 1
        assert small < big


def test_writer_info_and_replace_xmp(small_pdf: Path) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.metadata import model, xmp_xml

    with internal("BasePdfFileWriter._info / MetadataStream._xmp,_reserialise", "pyHanko"):
        writer = IncrementalPdfFileWriter(BytesIO(small_pdf.read_bytes()))
        # the trailer's /Info, as the file has it
        info = internals.writer_info_reference(writer)
        assert info is not None and info.idnum == writer.trailer.raw_get("/Info").idnum
        stream = xmp_xml.MetadataStream.from_xmp(
            [model.XmpStructure({model.PDF_PRODUCER: model.XmpValue("before")})]
        )
        internals.replace_xmp(
            stream, [model.XmpStructure({model.PDF_PRODUCER: model.XmpValue("after")})]
        )
        assert b"after" in stream.data and b"before" not in stream.data
        assert dict(stream.xmp[0])[model.PDF_PRODUCER].value == "after"


def test_signer_attribute_hook(ec_cert_and_key: tuple[ax509.Certificate, Any]) -> None:
    with internal("Signer._signed_attr_provider_spec", "pyHanko"):
        from pyhanko.sign.signers.pdf_cms import Signer

        assert _params(Signer._signed_attr_provider_spec)[:2] == ["self", "attr_settings"]
        cert, _ = ec_cert_and_key
        seen: list[Any] = []

        class Recording(internals.SignerWithAttributeHook):  # type: ignore[misc, name-defined]
            def signed_attributes_hook(self, spec: Any) -> Any:
                seen.append(spec)
                return spec

        signer = Recording(signing_cert=cert)
        attrs = asyncio.run(signer.signed_attrs(bytes(32), "sha256"))
        assert len(seen) == 1 and hasattr(seen[0], "signed_attr_providers")
        assert "signing_certificate_v2" in {a["type"].native for a in attrs}


def _assigned_self_attributes(func: Any) -> set[str]:
    tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    names: set[str] = set()
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for t in ast.walk(target):
                if (
                    isinstance(t, ast.Attribute)
                    and isinstance(t.value, ast.Name)
                    and t.value.id == "self"
                ):
                    names.add(t.attr)
    return names


def test_glyph_accumulator_state() -> None:
    with internal("GlyphAccumulator private state", "pyHanko"):
        from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
        from pyhanko.pdf_utils.writer import PdfFileWriter

        from signing.fonts import CachedFontFactory, is_cid_keyed_cff
        from signing.resources import font_path

        theirs = _assigned_self_attributes(GlyphAccumulator.__init__)
        # (name-mangled private caches of its own that we replace by a hook)
        theirs = {a for a in theirs if not a.startswith("__")}
        assert isinstance(inspect.getattr_static(GlyphAccumulator, "_reverse_cmap"), property)
        assert _params(GlyphAccumulator._get_cid_and_width) == ["self", "glyph_id"]
        assert callable(GlyphAccumulator._format_tounicode_cmap)
        path = Path(font_path())
        assert is_cid_keyed_cff(path)
        writer = PdfFileWriter()
        engine = CachedFontFactory(path, 10).create_font_engine(writer)
        ours = set(vars(engine))
        # skipping its __init__ must not leave anything it sets unset (but
        # what only the parts we replace read: prepare_write, _get_cid_and_width)
        assert theirs <= ours | {"_glyph_set", "cidfont_obj"}, sorted(theirs - ours)
        engine.shape("署名 Signed")
        assert engine.glyphs and engine.cid_to_unicode
        engine.prepare_write()
        assert engine.write_prepared and engine.as_resource() is engine.font_ref


def test_reader_object_hook(small_pdf: Path) -> None:
    with internal("PdfFileReader._read_object/_historical_resolver_cache", "pyHanko"):
        from pyhanko.pdf_utils.reader import PdfFileReader

        assert _params(PdfFileReader._read_object) == [
            "self",
            "ref",
            "marker",
            "never_decrypt",
            "as_metadata_stream",
        ]
        refs: list[Any] = []

        class Recording(internals.ReaderWithObjectHook):  # type: ignore[misc, name-defined]
            def read_object_hook(self, ref: Any, marker: Any, nd: bool, meta: bool) -> Any:
                refs.append(ref)
                return self.pyhanko_read_object(ref, marker, nd, meta)

        with small_pdf.open("rb") as fh:
            reader = Recording(fh)
            assert "/Pages" in reader.root
            assert refs, "objects are no longer read through _read_object"
            assert isinstance(reader.historical_resolver_cache, dict)
            reader.get_historical_resolver(0)
            assert 0 in reader.historical_resolver_cache


def test_resolver_subsume_hook(small_pdf: Path) -> None:
    with internal("HistoricalResolver._subsume_object", "pyHanko"):
        from pyhanko.pdf_utils.reader import PdfFileReader

        seen: list[Any] = []

        class Recording(internals.ResolverWithSubsumeHook):  # type: ignore[misc, name-defined]
            def subsume_hook(self, obj: Any) -> Any:
                seen.append(obj)
                return self.pyhanko_subsume(obj)

        with small_pdf.open("rb") as fh:
            reader = PdfFileReader(fh)
            resolver = Recording(reader, 0)
            root = resolver.root
            assert "/Pages" in root and seen


def test_stream_payload_hook() -> None:
    with internal("StreamObject._encoded_data", "pyHanko"):
        from pyhanko.pdf_utils import generic

        plain = generic.StreamObject(encoded_data=b"raw bytes")
        assert internals.stream_payload(plain) == b"raw bytes"
        events: list[str] = []

        class Hooked(internals.StreamWithPayloadHook):  # type: ignore[misc, name-defined]
            def get_payload(self) -> bytes | None:
                events.append("get")
                return b"from the hook"

            def set_payload(self, value: bytes | None) -> None:
                events.append(f"set {value!r}")

        obj = Hooked({})
        assert events == ["set None"]  # the constructor stores its payload
        assert obj.encoded_data == b"from the hook" and events[-1] == "get"


# --- pyhanko-certvalidator ------------------------------------------------------------


def test_trust_manager_roots_and_register_root(rsa_cert: ax509.Certificate) -> None:
    name = "SimpleTrustManager.iter_certs/_register_root in ValidationContext"
    with internal(name, "pyhanko-certvalidator"):
        from pyhanko_certvalidator import ValidationContext

        class Indexed(internals.IndexedTrustManagerBase):  # type: ignore[misc, name-defined]
            def iter_certs(self) -> Iterator[ax509.Certificate]:
                return iter([rsa_cert])

        vc = ValidationContext(trust_manager=Indexed())
        found = vc.certificate_registry.retrieve_by_name(rsa_cert.subject)
        assert rsa_cert.dump() in [c.dump() for c in found]
        # build() never hands out an instance of the subclass without its indexes
        try:
            built = Indexed.build([rsa_cert])
        except NotImplementedError:
            return
        assert type(built) is not Indexed


def test_requests_fetchers_http_seam() -> None:
    with internal("RequestsFetcherMixin._get/_post", "pyhanko-certvalidator"):
        from pyhanko_certvalidator.authority import AuthorityWithCert
        from pyhanko_certvalidator.errors import CRLFetchError, OCSPFetchError
        from pyhanko_certvalidator.fetchers.api import FetchLimits
        from pyhanko_certvalidator.fetchers.requests_fetchers.util import RequestsFetcherMixin

        from signing.bounded_http import HttpAnswer
        from tests.test_network_bounds import _ca_and_leaf

        assert _params(RequestsFetcherMixin._get) == ["self", "url", "acceptable_content_types"]
        assert _params(RequestsFetcherMixin._post) == [
            "self",
            "url",
            "data",
            "content_type",
            "acceptable_content_types",
        ]
        asked: list[tuple[str, str, int]] = []

        def exchange(
            method: str, url: str, data: bytes | None, headers: dict[str, str], cap: int
        ) -> HttpAnswer:
            asked.append((method, url, cap))
            return HttpAnswer(status=404, reason="Not Found", headers={}, content=b"")

        fetchers = internals.bounded_requests_fetchers(
            exchange,
            limits=FetchLimits(),
            user_agent=None,
            max_bytes={"ocsp": 1, "crl": 2, "cert": 3},
        )
        ca, leaf = _ca_and_leaf("http://ocsp.invalid/", "http://crl.invalid/x.crl")
        with pytest.raises(CRLFetchError):
            asyncio.run(fetchers.crl_fetcher.fetch(leaf))
        with pytest.raises(OCSPFetchError):
            asyncio.run(fetchers.ocsp_fetcher.fetch(leaf, AuthorityWithCert(ca)))
        assert ("GET", "http://crl.invalid/x.crl", 2) in asked
        assert ("POST", "http://ocsp.invalid/", 1) in asked


# --- asn1crypto -----------------------------------------------------------------------


def test_certificate_copy_hook(rsa_cert: ax509.Certificate) -> None:
    with internal("Asn1Value._copy", "asn1crypto"):
        copies: list[Any] = []

        class Recording(internals.CertificateWithCopyHook):  # type: ignore[misc, name-defined]
            def after_copy(self) -> None:
                copies.append(self)

        cert = Recording.load(rsa_cert.dump())
        copy = cert.copy()
        assert copies == [copy] and copy.dump() == cert.dump()
        tagged = cert.retag({"explicit": 0})
        assert tagged in copies


def test_encodings_kept_and_unmutated(rsa_cert: ax509.Certificate) -> None:
    with internal("Asn1Value._header/_trailer/contents/_mutated", "asn1crypto"):
        from asn1crypto import keys

        der = rsa_cert.dump()
        cert = ax509.Certificate.load(der)
        tbs = cert["tbs_certificate"]
        spki = tbs["subject_public_key_info"]
        rsa_key = spki["public_key"].parsed
        with internals.encodings_kept(cert, tbs):
            spki["public_key"] = keys.RSAPublicKey(
                {"modulus": rsa_key["modulus"].native + 2, "public_exponent": 65537}
            )
            spki.dump(force=True)
            internals.mark_unmutated(spki)
        # the parsed key changed, the certificate's bytes did not
        assert cert.dump() == der
        assert spki["public_key"].parsed["modulus"].native == rsa_key["modulus"].native + 2


def test_replace_chosen(rsa_cert: ax509.Certificate) -> None:
    with internal("Choice._parsed", "asn1crypto"):
        choice = cms.CertificateChoices.load(
            cms.CertificateChoices(name="certificate", value=rsa_cert).dump()
        )
        before = choice.dump()
        replacement = ax509.Certificate.load(rsa_cert.dump())
        internals.replace_chosen(choice, replacement)
        assert choice.chosen is replacement and choice.dump() == before


# --- CPython --------------------------------------------------------------------------


def test_none_cannot_be_deallocated() -> None:
    with internal("None's ob_refcnt (ctypes)", "CPython"):
        internals.keep_none_alive()
        internals.keep_none_alive()  # once only
        # 3.11: raised by the boost; 3.12+: immortal (a huge fixed count)
        assert sys.getrefcount(None) >= 2**30


# --- one module ---------------------------------------------------------------------------

#: private names of the libraries above, as they would appear in our code
_PRIVATE = re.compile(
    r"\._(read_object|subsume_object|encoded_data|integrity_checked|historical_resolver_cache"
    r"|validate_and_extract_tl_data_multiple_certs|signed_attr_provider_spec"
    r"|inner_layout_natural_size|render_inner_content|register_root|copy|parsed"
    r"|mutated|font_ref|glyphs|cid_to_unicode|write_prepared|subset_created"
    r"|format_tounicode_cmap|get_cid_and_width|reverse_cmap|get|post"
    r"|inner_content_layout_rule|xmp|reserialise)\b|writer\._info\b"
    r"|(?<!self)\._(header|trailer)\b"
    r"|def _(read_object|subsume_object|encoded_data|signed_attr_provider_spec"
    r"|inner_layout_natural_size|render_inner_content|register_root|copy|reverse_cmap"
    r"|get_cid_and_width|get|post)\(self\b"
    r"|read_hex_string_from_stream\s*=|ob_refcnt|from_address\("
)


def test_internals_live_in_one_module() -> None:
    found = []
    for folder in ("signing", "desktop"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.name == "thirdparty_internals.py":
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if _PRIVATE.search(line.split("#")[0]):
                    found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not found, "library internals outside signing/thirdparty_internals.py:\n" + "\n".join(
        found
    )
