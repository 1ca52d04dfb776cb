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


def test_direct_encrypt_dictionary_kept(tmp_path: Path) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import PdfFileWriter

    with internal("BasePdfFileWriter._encrypt (idnum read in _write_objects)", "pyHanko"):
        # a file whose trailer holds /Encrypt directly (as MuPDF writes it)
        writer = PdfFileWriter()
        writer.encrypt("owner", "", pdf_mac=False)
        assert isinstance(writer._encrypt, generic.IndirectObject)
        writer._encrypt = generic.DictionaryObject(writer.security_handler.as_pdf_object())
        internals.keep_direct_encrypt_dictionary(writer)
        out = BytesIO()
        writer.write(out)
        # an update to it: refused by pyHanko as it is, written with the fix
        update = IncrementalPdfFileWriter(BytesIO(out.getvalue()), strict=False)
        update.encrypt("")
        assert isinstance(update._encrypt, generic.DictionaryObject)
        internals.keep_direct_encrypt_dictionary(update)
        update.root[generic.pdf_name("/Marker")] = generic.pdf_string("kept")
        update.update_root()
        result = BytesIO()
        update.write(result)
        reader = PdfFileReader(BytesIO(result.getvalue()), strict=False)
        assert isinstance(reader.trailer.raw_get("/Encrypt"), generic.DictionaryObject)
        assert reader.decrypt("").status.name != "FAILED"
        assert reader.root["/Marker"] == "kept"
        assert reader.xrefs.total_revisions == 2


def test_standard_handler_revision_hook(tmp_path: Path) -> None:
    from pyhanko.pdf_utils.crypt import AuthStatus, SecurityHandler
    from pyhanko.pdf_utils.reader import PdfFileReader

    from signing.pdf import crypt as pdf_crypt

    with internal("StandardSecurityHandler.instantiate_from_pdf_object/authenticate", "pyHanko"):
        pdf_crypt.install()
        locked = make_pdf(tmp_path / "locked.pdf", user_password="pw")
        reader = PdfFileReader(BytesIO(locked.read_bytes()))
        handler = reader.security_handler
        assert isinstance(handler, internals.StandardHandlerWithRevisionHook)
        assert handler.raw_revision == 6
        # revision 6 still goes through pyHanko's own code
        assert reader.decrypt("wrong").status is AuthStatus.FAILED
        assert reader.decrypt("pw").status is AuthStatus.USER
        assert handler.extract_credential() is not None
        # revision 5 asks the hook, and a key it returns unlocks the handler
        r5 = SecurityHandler.build(reader.encrypt_dict)
        r5.raw_revision = 5
        key = handler.get_file_encryption_key()
        r5.unlock_revision_hook = lambda revision, password: (
            ("user", key) if password == b"pw" else (None, None)
        )
        assert r5.authenticate("nope").status is AuthStatus.FAILED
        assert r5.authenticate("pw").status is AuthStatus.USER
        assert r5.get_file_encryption_key() == key
        assert r5.authenticate(r5.extract_credential()).status is AuthStatus.USER


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

        from signing.appearance.fonts import CachedFontFactory, is_cid_keyed_cff
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


def _with_updates(small_pdf: Path, count: int) -> bytes:
    """The small file (an xref stream) with ``count`` empty updates (xref tables)."""
    from tests import hostile_pdfs

    return hostile_pdfs.empty_updates(small_pdf.read_bytes(), count)


def test_xref_builder_hooks(small_pdf: Path) -> None:
    with internal("XRefBuilder._read_xref_table/_read_xref_stream(_object)", "pyHanko"):
        from pyhanko.pdf_utils.reader import PdfFileReader, process_data_at_eof
        from pyhanko.pdf_utils.xref import TrailerDictionary, XRefBuilder

        assert _params(XRefBuilder) == ["handler", "stream", "strict", "last_startxref"]
        assert _params(XRefBuilder._read_xref_table) == ["self", "declared_startxref"]
        assert _params(XRefBuilder._read_xref_stream) == ["self", "declared_startxref"]
        assert _params(XRefBuilder._read_xref_stream_object) == ["self"]
        calls: list[str] = []

        class Recording(internals.XRefBuilderHooks):  # type: ignore[misc, name-defined]
            def read_xref_table_hook(self, declared_startxref: int) -> Any:
                calls.append("table")
                return self.pyhanko_read_xref_table(declared_startxref)

            def read_xref_stream_hook(self, declared_startxref: int) -> Any:
                calls.append("stream")
                return self.pyhanko_read_xref_stream(declared_startxref)

            def read_xref_stream_object_hook(self) -> Any:
                ref, xref_stream = self.pyhanko_read_xref_stream_object()
                calls.append(f"object {xref_stream['/Type']}")
                return ref, xref_stream

        data = _with_updates(small_pdf, 2)
        stream = BytesIO(data)
        stream.seek(-1, 2)
        handler = PdfFileReader(BytesIO(data))
        builder = Recording(handler, stream, False, process_data_at_eof(stream))
        assert isinstance(builder.trailer, TrailerDictionary)
        assert builder.trailer.container_ref is not None
        sections = builder.read_xrefs()
        # newest first: the two updates' tables, then the original stream
        assert calls == ["table", "table", "stream", "object /XRef"], calls
        assert len(sections) == 3


def test_xref_classes_looked_up_by_name() -> None:
    with internal("pyhanko.pdf_utils.reader.XRefBuilder/XRefCache (module names)", "pyHanko"):
        from pyhanko.pdf_utils import reader

        from signing.pdf import limits as pdf_limits
        from signing.pdf import limits_xref as pdf_limits_xref

        func = reader._read_xrefs_and_trailer
        assert {"XRefBuilder", "XRefCache"} <= set(func.__code__.co_names)
        assert func.__globals__ is vars(reader)
        pdf_limits.install()
        assert reader.XRefBuilder is pdf_limits_xref.BoundedXRefBuilder
        assert reader.XRefCache is pdf_limits_xref.IndexedXRefCache


def test_token_readers_looked_up_by_name() -> None:
    name = "generic.read_until_regex/read_until_delimiter/read_string_from_stream"
    with internal(name, "pyHanko"):
        from pyhanko.pdf_utils import generic

        from signing.pdf import limits as pdf_limits
        from signing.pdf import limits_tokens as pdf_limits_tokens

        def uses(func: Any, global_name: str) -> bool:
            code = getattr(func, "__func__", func).__code__
            return global_name in code.co_names and func.__globals__ is vars(generic)

        assert uses(generic.NumberObject.read_from_stream, "read_until_regex")
        assert uses(generic.NameObject.read_from_stream, "read_until_delimiter")
        assert uses(generic.read_object, "read_until_delimiter")  # (operators)
        assert uses(generic.read_object, "read_string_from_stream")
        original = internals.original_string_reader()
        assert original.__module__ == "pyhanko.pdf_utils.generic"
        assert original(BytesIO(b"(a\\(b)")) == "a(b"
        literal = internals.original_string_literal_reader()
        stream = BytesIO(b"(a(b)c\\n) rest")
        assert literal(stream) == b"a(b)c\n" and stream.read() == b" rest"
        pdf_limits.install()
        assert generic.read_until_regex is pdf_limits_tokens.read_until_regex
        assert generic.read_until_delimiter is pdf_limits_tokens.read_until_delimiter
        assert generic.read_string_from_stream is pdf_limits_tokens.read_string_from_stream
        # (install again: the replacements are kept, nothing is wrapped twice)
        pdf_limits.install()
        assert generic.read_string_from_stream is pdf_limits_tokens.read_string_from_stream


def test_trailer_revisions_and_new_changes() -> None:
    with internal("TrailerDictionary._trailer_revisions/_new_changes", "pyHanko"):
        from pyhanko.pdf_utils import generic
        from pyhanko.pdf_utils.xref import TrailerDictionary

        trailer = TrailerDictionary()
        newest = generic.DictionaryObject({"/Size": generic.NumberObject(9)})
        oldest = generic.DictionaryObject(
            {"/Size": generic.NumberObject(5), "/Info": generic.NumberObject(1)}
        )
        trailer.add_trailer_revision(newest)
        trailer.add_trailer_revision(oldest)
        # newest first (in reading order); revision n is counted from the oldest
        assert internals.trailer_revisions(trailer) == [newest, oldest]
        assert trailer.raw_get("/Size") == 9 and trailer.raw_get("/Size", revision=0) == 5
        assert trailer.raw_get("/Info", revision=1) == 1
        changes = internals.trailer_new_changes(trailer)
        assert isinstance(changes, generic.DictionaryObject) and not changes
        trailer["/Size"] = generic.NumberObject(10)
        assert changes["/Size"] == 10 and trailer.raw_get("/Size") == 10
        assert trailer.raw_get("/Size", revision=1) == 9


def test_xref_sections(small_pdf: Path) -> None:
    with internal("XRefCache._xref_sections / XRefSectionData", "pyHanko"):
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.pdf_utils.xref import XRefCache

        assert _params(XRefCache) == ["reader", "xref_sections"]
        reader = PdfFileReader(BytesIO(_with_updates(small_pdf, 1)))
        sections = internals.xref_sections(reader.xrefs)
        assert isinstance(sections, list) and len(sections) == reader.xrefs.total_revisions == 2
        root_ref = reader.root_ref
        first = sections[0].xref_data
        for attr in ("standard_xrefs", "xrefs_in_objstm", "freed"):
            assert isinstance(getattr(first, attr), dict), attr
        assert first.hybrid is None
        # the original revision (oldest first) defines the catalog...
        assert root_ref.idnum in {*first.standard_xrefs, *first.xrefs_in_objstm}
        assert first.try_resolve(root_ref) is not None
        # ...the empty update does not mention it
        with pytest.raises(KeyError):
            sections[1].xref_data.try_resolve(root_ref)


def test_embedded_signatures_cache(small_pdf: Path) -> None:
    with internal("PdfFileReader._embedded_signatures", "pyHanko"):
        from pyhanko.pdf_utils.reader import PdfFileReader

        reader = PdfFileReader(BytesIO(small_pdf.read_bytes()))
        assert vars(reader)["_embedded_signatures"] is None
        chosen: list[Any] = []
        internals.set_embedded_signatures(reader, chosen)
        assert reader.embedded_signatures is chosen


def test_reference_usages(small_pdf: Path) -> None:
    with internal("HistoricalResolver._load_reverse_xref_cache/_get_usages_of_ref", "pyHanko"):
        from pyhanko.pdf_utils import generic
        from pyhanko.pdf_utils.reader import PdfFileReader

        reader = PdfFileReader(BytesIO(small_pdf.read_bytes()))
        resolver = reader.get_historical_resolver(0)
        pages = reader.root.raw_get("/Pages").reference
        paths = {tuple(p) for p in internals.reference_usages(resolver, pages)}
        assert ("/Root", "/Pages") in paths, paths
        assert internals.reference_usages(resolver, generic.Reference(999, 0)) == set()


def _dss_resolvers(small_pdf: Path) -> tuple[Any, Any]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(BytesIO(_with_updates(small_pdf, 1)))
    return reader.get_historical_resolver(0), reader.get_historical_resolver(1)


def test_check_vri(small_pdf: Path) -> None:
    with internal("DSSCompareRule._check_vri", "pyHanko"):
        from pyhanko.pdf_utils import generic
        from pyhanko.sign.diff_analysis.policy_api import SuspiciousModification
        from pyhanko.sign.diff_analysis.rules.form_field_rules import DSSCompareRule

        assert isinstance(inspect.getattr_static(DSSCompareRule, "_check_vri"), staticmethod)
        old, new = _dss_resolvers(small_pdf)
        entry = generic.DictionaryObject({"/TU": generic.NumberObject(1)})
        key = "/" + "A" * 40
        kept = generic.DictionaryObject({generic.NameObject(key): entry})
        # the same key with the same entry: nothing to explain
        assert list(internals.check_vri(old, new, kept, kept)) == []
        # a new, well-formed key with a direct entry: allowed
        both = generic.DictionaryObject({**kept, generic.NameObject("/" + "B" * 40): entry})
        assert list(internals.check_vri(old, new, kept, both)) == []
        # a key dropped, or a malformed new key: refused
        with pytest.raises(SuspiciousModification):
            list(internals.check_vri(old, new, kept, generic.DictionaryObject()))
        bad = generic.DictionaryObject({generic.NameObject("/nothex"): entry})
        with pytest.raises(SuspiciousModification):
            list(internals.check_vri(old, new, generic.DictionaryObject(), bad))


def test_validate_dss_substructure(small_pdf: Path) -> None:
    with internal("form_field_rules._validate_dss_substructure", "pyHanko"):
        from pyhanko.pdf_utils import generic
        from pyhanko.pdf_utils.reader import RawPdfPath
        from pyhanko.sign.diff_analysis.policy_api import SuspiciousModification
        from pyhanko.sign.diff_analysis.rules.form_field_rules import (
            _validate_dss_substructure,
        )
        from pyhanko.sign.diff_analysis.rules_api import Context

        assert _params(_validate_dss_substructure) == [
            "old",
            "new",
            "old_dict",
            "new_dict",
            "der_stream_keys",
            "is_vri",
            "context",
        ]
        old, new = _dss_resolvers(small_pdf)
        context = Context.from_absolute(old, RawPdfPath("/Root", "/DSS"))
        keys = {"/Certs", "/CRLs", "/OCSPs"}
        empty = generic.DictionaryObject()
        arrays = generic.DictionaryObject({"/Certs": generic.ArrayObject()})
        updates = internals.validate_dss_substructure(old, new, empty, arrays, keys, False, context)
        assert list(updates) == []
        not_array = generic.DictionaryObject({"/Certs": generic.NumberObject(5)})
        with pytest.raises(SuspiciousModification):
            list(
                internals.validate_dss_substructure(
                    old, new, empty, not_array, keys, False, context
                )
            )


def test_writer_meta_hook(small_pdf: Path) -> None:
    with internal("BasePdfFileWriter._update_meta", "pyHanko"):
        from pyhanko.pdf_utils.reader import PdfFileReader

        calls: list[str] = []

        class Recording(internals.WriterWithMetaHook):  # type: ignore[misc, name-defined]
            def update_meta_hook(self) -> None:
                calls.append("before")
                self.pyhanko_update_meta()
                calls.append(str(self.trailer["/Info"]["/Producer"]))

        writer = Recording(BytesIO(small_pdf.read_bytes()))
        writer.root["/Marker"] = writer.root.raw_get("/Pages")
        writer.update_root()
        out = BytesIO()
        writer.write(out)
        # called when writing, after which pyHanko has set its producer
        assert calls[::2] and set(calls[::2]) == {"before"}, calls
        assert all("pyHanko" in producer for producer in calls[1::2]), calls
        written = PdfFileReader(out).trailer["/Info"]["/Producer"]
        assert str(written) == calls[-1]


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

        from signing.net.bounded_http import HttpAnswer
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


def test_name_value_cache(rsa_cert: ax509.Certificate) -> None:
    with internal("asn1crypto x509.RelativeDistinguishedName._get_values", "asn1crypto"):
        cls = ax509.RelativeDistinguishedName
        installed = cls._get_values
        original = getattr(installed, "__wrapped__", installed)
        cls._get_values = original
        assert internals.install_name_value_cache()
        try:
            assert cls._get_values is not original
            assert internals.install_name_value_cache()  # once only
            a = ax509.Name.build({"common_name": "Alice  Tester", "country_name": "JP"})
            b = ax509.Name.build({"common_name": "alice tester", "country_name": "jp"})
            c = ax509.Name.build({"common_name": "Bob", "country_name": "JP"})
            for _ in range(2):  # the second time from the memo
                assert a == b and a != c  # (RFC 4518: case and spaces folded)
                assert a.hashable == b.hashable != c.hashable
            rdn = a.chosen[0]
            got = rdn._get_values(rdn)
            got.clear()  # a copy: the memo keeps its own
            assert rdn._get_values(rdn) == original(rdn, rdn)
            assert rsa_cert.subject == ax509.Name.load(rsa_cert.subject.dump())
        finally:
            cls._get_values = installed


# --- one module ---------------------------------------------------------------------------

#: private names of the libraries above, as they would appear in our code
_PRIVATE = re.compile(
    r"\._(read_object|subsume_object|encoded_data|integrity_checked|historical_resolver_cache"
    r"|validate_and_extract_tl_data_multiple_certs|signed_attr_provider_spec"
    r"|inner_layout_natural_size|render_inner_content|register_root|copy|parsed"
    r"|mutated|font_ref|glyphs|cid_to_unicode|write_prepared|subset_created"
    r"|format_tounicode_cmap|get_cid_and_width|reverse_cmap|get|post"
    r"|inner_content_layout_rule|xmp|reserialise|read_xref_table|read_xref_stream"
    r"|read_xref_stream_object|trailer_revisions|new_changes|xref_sections"
    r"|embedded_signatures|load_reverse_xref_cache|get_usages_of_ref|check_vri"
    r"|update_meta|read_string_literal_bytes)\b|writer\._info\b"
    r"|(?<!self)\._(header|trailer)\b"
    r"|def _(read_object|subsume_object|encoded_data|signed_attr_provider_spec"
    r"|inner_layout_natural_size|render_inner_content|register_root|copy|reverse_cmap"
    r"|get_cid_and_width|get|post|read_xref_table|read_xref_stream|read_xref_stream_object"
    r"|update_meta)\(self\b"
    r"|read_hex_string_from_stream\s*=|ob_refcnt|from_address\("
    r"|\.(XRefBuilder|XRefCache|read_until_regex|read_until_delimiter"
    r"|read_string_from_stream)\s*=(?!=)|\b_validate_dss_substructure\b"
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
