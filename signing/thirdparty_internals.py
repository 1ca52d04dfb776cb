"""Every private internal of a library that Shomei relies on, in one place.

pyHanko, pyhanko-certvalidator, asn1crypto and CPython promise nothing about
the names below: a minor release may rename, move or change any of them.
Each one is wrapped here, with what it is, why we need it and what to do
when an upgrade moves it; the rest of Shomei imports them from this module
only, and ``tests/test_thirdparty_internals.py`` holds one test per internal
that names it and the installed library version when it changes.

Importing this module imports no third-party library (the desktop app calls
:func:`keep_none_alive` before its first paint, which must not load
pyHanko). Functions import what they touch when called; the base classes
(``TextStampHooks`` etc.) are built on first access, through the module's
``__getattr__`` (:data:`_CLASSES`).

Subclass hooks follow one pattern: a base class here overrides the private
method and calls a public-named hook (``layout_hook``, ``subsume_hook``...)
that the caller's subclass overrides, so the private name appears only here.
"""

from __future__ import annotations

import contextlib
import ctypes
import sys
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from functools import cache
from typing import Any

# --- pyHanko ------------------------------------------------------------------


@cache
def original_hex_string_reader() -> Callable[[Any], Any]:
    """pyHanko's own ``pyhanko.pdf_utils.generic.read_hex_string_from_stream``
    as found on first call (before :func:`install_hex_string_reader`).

    *What:* the function pyHanko's object parser (``read_object``) calls, by
    module-global name at call time, for every ``<...>`` hex string.
    *Why:* :mod:`signing.validation.fast_hex` replaces it with a chunked
    reader (40 % of the time of a small validation went into /Contents) and
    hands anything unusual back to this original.
    *When it moves:* if pyHanko renames it or stops looking it up by global
    name, the fast reader is simply not used: drop the install (validation
    gets slower, not wrong) or point it at the new name."""
    from pyhanko.pdf_utils import generic

    reader: Callable[[Any], Any] = generic.read_hex_string_from_stream
    return reader


def install_hex_string_reader(reader: Callable[[Any], Any]) -> bool:
    """Monkeypatch ``generic.read_hex_string_from_stream`` to ``reader`` (once
    per process; only while pyHanko's original is still in place). Returns
    whether ``reader`` is now installed. See :func:`original_hex_string_reader`."""
    from pyhanko.pdf_utils import generic

    original = original_hex_string_reader()
    if generic.read_hex_string_from_stream is original:
        generic.read_hex_string_from_stream = reader  # type: ignore[assignment]
    return generic.read_hex_string_from_stream is reader


def verify_trusted_list_signature(
    xml_text: str, signer_certs: list[Any], validation_time: datetime | None
) -> str:
    """The signed XML of a trusted list whose XAdES signature one of
    ``signer_certs`` made, via pyHanko's
    ``pyhanko.sign.validation.qualified.eutl_parse._validate_and_extract_tl_data_multiple_certs``.

    *Why:* pyHanko's public ``trust_list_to_registry`` and
    ``validate_and_parse_lotl`` check the signature and then parse the list
    into pyHanko's own structures; we need only the verified XML (our own
    parser reads it) and check a list against several possible signers
    (LOTL pivots, the Japanese list's pinned signer).
    *When it moves:* look for the function that checks an XMLDSig over the
    TL with a list of certificates in ``eutl_parse``; it raises
    ``SignatureValidationError`` on a bad signature (which
    :mod:`signing.trust.tl_verify` turns into ``TrustListSignatureError``)."""
    from pyhanko.sign.validation.qualified import eutl_parse

    signed: str = eutl_parse._validate_and_extract_tl_data_multiple_certs(
        xml_text, signer_certs, validation_time
    )
    return signed


def mark_integrity_checked(emb: Any) -> None:
    """Set ``EmbeddedPdfSignature._integrity_checked`` on ``emb``.

    *What:* pyHanko's flag that ``compute_integrity_info`` ran; its
    ``summarise_integrity_info`` refuses to answer without it.
    *Why:* when pyHanko's difference analysis raises, we record the coverage
    we know and "unexplained changes" ourselves
    (:func:`signing.validation.processes.integrity`) and still want pyHanko's
    summary of the rest.
    *When it moves:* find what ``summarise_integrity_info`` checks and set
    that; without it, every file whose diff analysis fails would lose its
    summary (the test fails first)."""
    emb._integrity_checked = True


def stamp_fit_scale(stamp: Any) -> float:
    """How much a pyHanko ``TextStamp`` scales its content to fit its box.

    *What:* ``TextStamp._inner_layout_natural_size()`` (the content's natural
    size, through our ``layout_hook``) and ``_inner_content_layout_rule()``
    (how that content is fitted into the box).
    *Why:* the size the text will have on the page is checked before signing
    (:mod:`signing.sign.placement`: refused under 4 pt, a warning under 6 pt).
    *When it moves:* find where pyHanko's ``TextStamp`` lays out its inner
    content and take the same natural size and fit rule; without them the
    text-size check cannot be made (the test fails first)."""
    _commands, (natural_w, natural_h) = stamp._inner_layout_natural_size()
    fit = stamp._inner_content_layout_rule().fit(stamp.box, natural_w, natural_h)
    return float(min(fit.x_scale, fit.y_scale))


def writer_info_reference(writer: Any) -> Any:
    """The indirect reference to a pyHanko writer's document-information
    dictionary (``BasePdfFileWriter._info``), or None.

    *Why:* after signing, the Info /Producer and the XMP producer are made
    to agree (:mod:`signing.pdf.metadata`, PDF/A), and the Info dictionary
    must be marked as updated. *When it moves:* look for where the writer
    keeps the trailer's ``/Info``; ``writer.trailer`` may offer it."""
    return writer._info


def replace_xmp(stream: Any, structures: list[Any]) -> None:
    """Give a pyHanko ``MetadataStream`` new XMP structures and re-encode it.

    *What:* ``MetadataStream._xmp``, ``_reserialise()`` and
    ``_encoded_data``, as its own ``update_xmp_with_meta`` sets them.
    *Why:* that public method only writes pyHanko's own fields; PDF/A needs
    the XMP producer to equal the Info /Producer Shomei keeps
    (:mod:`signing.pdf.metadata`). *When it moves:* mirror what
    ``update_xmp_with_meta`` does in the new release."""
    stream._xmp = structures
    stream._reserialise()
    stream._encoded_data = None


def keep_direct_encrypt_dictionary(writer: Any) -> None:
    """Let a pyHanko incremental writer update a file whose trailer holds its
    ``/Encrypt`` dictionary directly (as MuPDF and others write it).

    *What:* ``BasePdfFileWriter._encrypt``, which pyHanko copies from the
    trailer and then treats as a reference (``_write_objects`` reads its
    ``idnum`` to leave the encryption dictionary itself unencrypted).
    *Why:* with a direct dictionary that read fails with ``AttributeError``
    ('DictionaryObject' object has no attribute 'idnum') and no such file
    can be signed. The same dictionary, given an ``idnum`` of 0 (the number
    of no object), is written back directly and unencrypted in the new
    trailer, as the update must repeat it. *When it moves:* find how the
    writer keeps the trailer's ``/Encrypt`` and what it compares it with."""
    from pyhanko.pdf_utils import generic

    current = writer._encrypt
    if isinstance(current, generic.DictionaryObject) and not hasattr(current, "idnum"):
        writer._encrypt = _direct_encrypt_class()(current)


@cache
def _direct_encrypt_class() -> type:
    from pyhanko.pdf_utils import generic

    class DirectEncryptDictionary(generic.DictionaryObject):  # type: ignore[misc]
        idnum = 0  # (no object has number 0: every written object is encrypted)

    return DirectEncryptDictionary


def install_xref_classes(builder: type, cache: type) -> None:
    """Make pyHanko's reader build its cross-reference tables with
    ``builder`` and ``cache`` (subclasses of ``XRefBuilder`` and
    ``XRefCache``), by replacing the names ``XRefBuilder`` and ``XRefCache``
    in ``pyhanko.pdf_utils.reader``, where ``_read_xrefs_and_trailer`` looks
    them up at call time (each only while pyHanko's own class is there).

    *Why:* :mod:`signing.pdf.limits_xref` bounds the entries a file may
    declare and makes the lookups of the difference analysis linear in the
    number of revisions; pyHanko has no way to pass its reader other classes.
    *When it moves:* find where the reader creates its ``XRefBuilder`` and
    ``XRefCache``; if they are no longer looked up by module-global name,
    hostile files are no longer bounded there (the test fails first)."""
    from pyhanko.pdf_utils import reader, xref

    module: Any = reader
    if module.XRefBuilder is xref.XRefBuilder:
        module.XRefBuilder = builder
    if module.XRefCache is xref.XRefCache:
        module.XRefCache = cache


@cache
def original_string_reader() -> Callable[[Any], Any]:
    """pyHanko's own ``pyhanko.pdf_utils.generic.read_string_from_stream``
    (a literal ``(...)`` string) as found on first call, before
    :func:`install_token_readers`; see there."""
    from pyhanko.pdf_utils import generic

    reader: Callable[[Any], Any] = generic.read_string_from_stream
    return reader


def original_string_literal_reader() -> Callable[[Any], bytes]:
    """pyHanko's private ``generic._read_string_literal_bytes``: the bytes of
    a literal ``(...)`` string, which ``read_string_from_stream`` decodes.

    *Why:* :func:`signing.pdf.limits_tokens.read_string_literal_bytes` is a
    chunk-wise copy of it that must give the same bytes, errors and stream
    position; the tests compare the two. *When it moves:* compare with what
    the new ``read_string_from_stream`` reads a string with."""
    from pyhanko.pdf_utils import generic

    reader: Callable[[Any], bytes] = generic._read_string_literal_bytes
    return reader


def install_token_readers(
    until_regex: Callable[..., bytes],
    until_delimiter: Callable[[Any], bytes],
    string_reader: Callable[[Any], Any],
) -> None:
    """Replace the names ``read_until_regex`` and ``read_until_delimiter``
    (imported into ``pyhanko.pdf_utils.generic`` from ``misc``) and
    ``generic.read_string_from_stream``, each only while pyHanko's own is
    there.

    *What:* ``NumberObject.read_from_stream`` (numbers),
    ``NameObject.read_from_stream`` (names), ``read_object`` (operators and
    literal strings) call them by module-global name at call time.
    *Why:* pyHanko's read a byte (or 16) at a time into a growing bytes
    object with no cap: one 10 MB token took minutes.
    :mod:`signing.pdf.limits_tokens` reads chunk-wise and caps them.
    *When it moves:* find what the parser reads numbers, names and strings
    with; if it no longer looks them up by global name, the caps do not
    apply (the test fails first)."""
    from pyhanko.pdf_utils import generic, misc

    original = original_string_reader()
    module: Any = generic
    if module.read_until_regex is misc.read_until_regex:
        module.read_until_regex = until_regex
    if module.read_until_delimiter is misc.read_until_delimiter:
        module.read_until_delimiter = until_delimiter
    if module.read_string_from_stream is original:
        module.read_string_from_stream = string_reader


def trailer_revisions(trailer: Any) -> list[Any]:
    """The trailer dictionaries of a pyHanko ``TrailerDictionary``, newest
    first (its private ``_trailer_revisions``).

    *Why:* :class:`signing.pdf.limits_xref.IncrementalTrailer` answers
    ``raw_get`` and ``flatten`` from them in linear time (pyHanko's own
    merge is quadratic in the number of revisions).
    *When it moves:* find where ``add_trailer_revision`` stores them."""
    revisions: list[Any] = trailer._trailer_revisions
    return revisions


def trailer_new_changes(trailer: Any) -> Any:
    """A pyHanko ``TrailerDictionary``'s private ``_new_changes`` (the
    entries set on it since reading, which ``raw_get`` consults first for
    the current revision). See :func:`trailer_revisions`."""
    return trailer._new_changes


def xref_sections(xref_cache: Any) -> list[Any]:
    """The ``XRefSection`` list of a pyHanko ``XRefCache`` (its private
    ``_xref_sections``, oldest first), each with ``xref_data``
    (``XRefSectionData``: ``standard_xrefs``, ``xrefs_in_objstm``,
    ``freed``, ``hybrid``, ``try_resolve(ref)``).

    *Why:* :class:`signing.pdf.limits_xref.IndexedXRefCache` indexes which
    sections mention an object, instead of pyHanko's try-every-section
    lookups. *When it moves:* find what ``XRefCache.__init__`` keeps of the
    sections it is given."""
    sections: list[Any] = xref_cache._xref_sections
    return sections


def set_embedded_signatures(reader: Any, signatures: list[Any]) -> None:
    """Make a pyHanko ``PdfFileReader``'s ``embedded_signatures`` return
    ``signatures`` (its private cache ``_embedded_signatures``).

    *Why:* pyHanko's LTA validation walks the reader's list of every
    signature, hashing each; for a file with more signatures than Shomei
    validates (:mod:`signing.validation.pipeline`) it must get the ones read
    there instead. *When it moves:* find what ``embedded_signatures``
    caches its answer in; without it a file with thousands of signatures
    costs their hashing again."""
    reader._embedded_signatures = signatures


def reference_usages(resolver: Any, ref: Any) -> set[Any]:
    """The paths (``RawPdfPath``) through which a pyHanko
    ``HistoricalResolver``'s revision uses ``ref``: its private
    ``_load_reverse_xref_cache()`` (once per resolver) and
    ``_get_usages_of_ref(ref)``.

    *Why:* :mod:`signing.validation.diff_rules` clears references from
    private trailer entries to objects the signed revision did not define,
    which needs to know where the reference is used. *When it moves:* find
    what pyHanko's ``ReferenceUpdate``/``Context`` code uses to find the
    paths to a reference."""
    resolver._load_reverse_xref_cache()
    usages: set[Any] = resolver._get_usages_of_ref(ref)
    return usages


def check_vri(old: Any, new: Any, old_vri: Any, new_vri: Any) -> Iterator[Any]:
    """pyHanko's ``DSSCompareRule._check_vri(old, new, old_vri, new_vri)``:
    the ``ReferenceUpdate``s that explain a /VRI dictionary's entries, or a
    ``SuspiciousModification``.

    *Why:* :mod:`signing.validation.diff_rules` lets an existing /VRI key
    get a new entry and hands the rest to pyHanko's own checks.
    *When it moves:* mirror what ``DSSCompareRule.apply`` does with the
    /VRI dictionaries."""
    from pyhanko.sign.diff_analysis.rules.form_field_rules import DSSCompareRule

    updates: Iterator[Any] = DSSCompareRule._check_vri(old, new, old_vri, new_vri)  # type: ignore[no-untyped-call]
    return updates


def validate_dss_substructure(
    old: Any, new: Any, old_dict: Any, new_dict: Any, stream_keys: Any, is_vri: bool, context: Any
) -> Iterator[Any]:
    """pyHanko's module-private ``form_field_rules._validate_dss_substructure``
    (same arguments; ``context`` is the ``Context`` of the dictionary): the
    ``ReferenceUpdate``s that explain the /Certs, /CRLs, /OCSPs arrays of a
    /DSS or /VRI dictionary, or a ``SuspiciousModification``.

    *Why:* :mod:`signing.validation.diff_rules` re-implements
    ``DSSCompareRule.apply`` (an existing /VRI key may get a new entry) and
    keeps pyHanko's own checks of the arrays. *When it moves:* mirror what
    ``DSSCompareRule.apply`` calls for the arrays."""
    from pyhanko.sign.diff_analysis.rules import form_field_rules

    updates: Iterator[Any] = form_field_rules._validate_dss_substructure(
        old, new, old_dict, new_dict, stream_keys, is_vri, context
    )
    return updates


def _xref_builder_hooks() -> type:
    """``XRefBuilderHooks``: pyHanko's ``XRefBuilder`` whose private
    ``_read_xref_table(declared_startxref)``, ``_read_xref_stream(
    declared_startxref)`` (one cross-reference section each) and
    ``_read_xref_stream_object()`` (``(ref, stream)`` of an xref stream)
    go through ``read_xref_table_hook``, ``read_xref_stream_hook`` and
    ``read_xref_stream_object_hook``, with ``pyhanko_read_xref_table`` etc.
    as pyHanko's own. Also relied on: its constructor ``(handler, stream,
    strict, last_startxref)``, its ``trailer`` attribute (a
    ``TrailerDictionary`` with ``container_ref``), and that a section's
    reader returns the next offset to read (the trailer's /Prev, None at
    the end: ``/Prev 0`` is turned into the end).

    *Why:* :class:`signing.pdf.limits_xref.BoundedXRefBuilder` counts
    sections (at most ``MAX_REVISIONS``), checks the deadline, and refuses
    xref streams that declare more entries than the file could hold before
    pyHanko stores them. *When it moves:* find where the builder reads one
    section and one xref stream's dictionary; without the hooks those
    bounds are gone (the test fails first)."""
    from pyhanko.pdf_utils.xref import XRefBuilder

    class XRefBuilderHooks(XRefBuilder):  # type: ignore[misc]
        def _read_xref_table(self, declared_startxref: int) -> Any:
            return self.read_xref_table_hook(declared_startxref)

        def _read_xref_stream(self, declared_startxref: int) -> Any:
            return self.read_xref_stream_hook(declared_startxref)

        def _read_xref_stream_object(self) -> Any:
            return self.read_xref_stream_object_hook()

        def read_xref_table_hook(self, declared_startxref: int) -> Any:
            return self.pyhanko_read_xref_table(declared_startxref)

        def read_xref_stream_hook(self, declared_startxref: int) -> Any:
            return self.pyhanko_read_xref_stream(declared_startxref)

        def read_xref_stream_object_hook(self) -> Any:
            return self.pyhanko_read_xref_stream_object()

        def pyhanko_read_xref_table(self, declared_startxref: int) -> Any:
            return XRefBuilder._read_xref_table(self, declared_startxref)  # type: ignore[no-untyped-call]

        def pyhanko_read_xref_stream(self, declared_startxref: int) -> Any:
            return XRefBuilder._read_xref_stream(self, declared_startxref)  # type: ignore[no-untyped-call]

        def pyhanko_read_xref_stream_object(self) -> Any:
            return XRefBuilder._read_xref_stream_object(self)  # type: ignore[no-untyped-call]

    return XRefBuilderHooks


def _writer_meta_hook() -> type:
    """``WriterWithMetaHook``: pyHanko's ``IncrementalPdfFileWriter`` whose
    private ``_update_meta()`` (the Info and XMP update made when the
    writer writes) goes through ``update_meta_hook()``, with
    ``pyhanko_update_meta()`` as pyHanko's own.

    *Why:* :class:`signing.pdf.metadata.MetadataKeepingWriter` makes the
    XMP agree with the Info dictionary right after pyHanko updated both.
    *When it moves:* find where the writer sets /Producer and /ModDate
    before writing; without the hook PDF/A files get Info and XMP that
    disagree (the test fails first)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    class WriterWithMetaHook(IncrementalPdfFileWriter):  # type: ignore[misc]
        def _update_meta(self) -> None:
            self.update_meta_hook()

        def update_meta_hook(self) -> None:
            self.pyhanko_update_meta()

        def pyhanko_update_meta(self) -> None:
            IncrementalPdfFileWriter._update_meta(self)  # type: ignore[no-untyped-call]

    return WriterWithMetaHook


def _standard_handler_revision_hook() -> type:
    """``StandardHandlerWithRevisionHook``: pyHanko's
    ``StandardSecurityHandler`` that remembers the file's raw ``/R`` and,
    for revision 5, asks ``unlock_revision_hook(revision, password)`` for
    ``("owner" | "user" | None, file key)``.

    *Why:* pyHanko maps ``/R 5`` to ``StandardSecuritySettingsRevision.OTHER``
    and authenticates it with revision 6's hash, so no password opens such
    a file (:mod:`signing.pdf.crypt`). The hook sets what a successful
    ``authenticate`` sets: ``_shared_key``, ``_auth_failed`` and
    ``_credential`` (a ``_PasswordCredential``, so ``extract_credential``
    reopens the output), and normalises the password with
    ``_r6_normalise_pw`` (SASLprep, 127 bytes), as revision 5 also asks.
    ``instantiate_from_pdf_object`` is re-done with ``cls`` (pyHanko's names
    ``StandardSecurityHandler`` itself). *When it moves:* mirror the new
    ``instantiate_from_pdf_object`` and ``authenticate``/``_authenticate_r6``."""
    from pyhanko.pdf_utils.crypt import (
        AuthResult,
        AuthStatus,
        SecurityHandlerVersion,
        SerialisableCredential,
        SerialisedCredential,
        StandardSecurityHandler,
        StandardSecuritySettingsRevision,
    )
    from pyhanko.pdf_utils.crypt.standard import _PasswordCredential, _r6_normalise_pw

    class StandardHandlerWithRevisionHook(StandardSecurityHandler):  # type: ignore[misc, no-untyped-call]
        raw_revision: Any = None

        @classmethod
        def instantiate_from_pdf_object(cls, encrypt_dict: Any) -> Any:
            handler = cls(
                version=SecurityHandlerVersion.from_number(encrypt_dict["/V"]),
                revision=StandardSecuritySettingsRevision.from_number(encrypt_dict["/R"]),
                crypt_filter_config=cls.process_crypt_filters(encrypt_dict),
                **cls.gather_encryption_metadata(encrypt_dict),
            )
            handler.raw_revision = encrypt_dict.get("/R")
            return handler

        def authenticate(self, credential: Any, id1: bytes | None = None) -> Any:
            if self.raw_revision != 5:
                return super().authenticate(credential, id1)
            if isinstance(credential, SerialisedCredential):
                credential = SerialisableCredential.deserialise(credential)
            if isinstance(credential, _PasswordCredential):
                credential = credential["pwd_bytes"].native
            password = _r6_normalise_pw(credential)
            level, key = self.unlock_revision_hook(5, password)
            if key is None:
                self._auth_failed = True
                return AuthResult(status=AuthStatus.FAILED, permission_flags=self.perms)
            self._shared_key = key
            self._auth_failed = False
            self._credential = _PasswordCredential({"pwd_bytes": password})
            status = AuthStatus.OWNER if level == "owner" else AuthStatus.USER
            return AuthResult(status=status, permission_flags=self.perms)

        def unlock_revision_hook(
            self, revision: int, password: bytes
        ) -> tuple[str | None, bytes | None]:
            return None, None

    return StandardHandlerWithRevisionHook


def register_standard_handler(cls: type) -> None:
    """Make ``cls`` pyHanko's security handler for ``/Filter /Standard``
    (``SecurityHandler.register``, keyed by ``get_name()``; the registry
    holds one class per name). *Why/when it moves:* see
    ``StandardHandlerWithRevisionHook``."""
    from pyhanko.pdf_utils.crypt import SecurityHandler

    SecurityHandler.register(cls)


def _text_stamp_hooks() -> type:
    """``TextStampHooks``: pyHanko's ``TextStamp`` with its private layout
    steps ``_inner_layout_natural_size`` and ``_render_inner_content`` turned
    into ``layout_hook(natural)`` and ``content_hook(commands)``.

    *Why:* :class:`signing.appearance.stamp.ImageTextStamp` puts an image left of,
    or behind, the stamp's text; pyHanko lays out the text and computes its
    natural size in those two steps and has no public hook.
    *When it moves:* find where ``TextStamp`` renders its text box inside the
    stamp's box and how the natural size is computed (``(commands,
    (width, height))``), and call the hooks from there."""
    from pyhanko.stamp import TextStamp

    class TextStampHooks(TextStamp):  # type: ignore[misc]
        def _inner_layout_natural_size(self) -> Any:
            return self.layout_hook(super()._inner_layout_natural_size())  # type: ignore[no-untyped-call]

        def _render_inner_content(self) -> Any:
            return self.content_hook(super()._render_inner_content())  # type: ignore[no-untyped-call]

        def layout_hook(self, natural: Any) -> Any:
            """``(commands, (width, height))`` of the inner content."""
            return natural

        def content_hook(self, commands: list[bytes]) -> list[bytes]:
            """The content-stream commands of the inner content."""
            return commands

    return TextStampHooks


def _signer_attribute_hook() -> type:
    """``SignerWithAttributeHook``: pyHanko's ``Signer`` whose private
    ``_signed_attr_provider_spec(...)`` result passes through
    ``signed_attributes_hook(spec)``.

    *Why:* :class:`signing.keys.pkcs12.LoadedKeySigner` caches the
    signing-certificate-v2 attribute (re-encoding it cost time on every
    signature of a batch) by wrapping pyHanko's choice of attribute providers
    rather than re-implementing it.
    *When it moves:* find where ``Signer`` picks its
    ``SignedAttributeProviderSpec`` (called from ``signed_attrs``) and wrap
    that; without the hook signing still works, only slower."""
    from pyhanko.sign.signers.pdf_cms import Signer

    class SignerWithAttributeHook(Signer):  # type: ignore[misc]
        def _signed_attr_provider_spec(self, *args: Any, **kwargs: Any) -> Any:
            return self.signed_attributes_hook(super()._signed_attr_provider_spec(*args, **kwargs))

        def signed_attributes_hook(self, spec: Any) -> Any:
            return spec

    return SignerWithAttributeHook


class _GlyphNames:
    """Stands for the fontTools font (``tt``) whose ``getGlyphName`` pyHanko's
    ``GlyphAccumulator.shape`` calls."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names

    def getGlyphName(self, glyph_id: int) -> str:
        return self.names[glyph_id]


def _shared_font_accumulator() -> type:
    """``SharedFontGlyphAccumulator``: pyHanko's ``GlyphAccumulator`` set up
    from a font parsed once per process instead of per document.

    *What:* it skips ``GlyphAccumulator.__init__`` (which parses the font) and
    sets the state ``shape()``, ``_format_tounicode_cmap`` and
    ``as_resource`` read: private ``_font_ref``, ``_glyphs``,
    ``_cid_to_unicode``, ``_subset_created``, ``_write_prepared``, and the
    undocumented ``hb_font``, ``tt``, ``cff_charset``, ``use_raw_gids``,
    ``features``, ``units_per_em``, ``ot_*_tag``, ``writing_direction``,
    ``bcp47_lang_code``. Its private ``_reverse_cmap`` and
    ``_get_cid_and_width`` become ``codepoints_by_glyph_name()`` and
    ``cid_and_width(glyph_id)``.
    *Why:* parsing and subsetting a CJK font took most of the time of a
    visible signature (:mod:`signing.appearance.fonts`).
    *When it moves:* compare ``GlyphAccumulator.__init__`` with the state set
    here; if it cannot be matched, return pyHanko's ``GlyphAccumulatorFactory``
    from ``signing.appearance.fonts.font_factory`` (slower, same output)."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator

    class SharedFontGlyphAccumulator(GlyphAccumulator):  # type: ignore[misc]
        def __init__(
            self,
            writer: Any,
            *,
            ps_name: str,
            font_size: int,
            obj_stream: Any,
            hb_font: Any,
            glyph_names: tuple[str, ...],
            units_per_em: int,
        ) -> None:
            # FontEngine.__init__, not GlyphAccumulator's (which parses)
            super(GlyphAccumulator, self).__init__(
                writer, ps_name, embedded_subset=True, obj_stream=obj_stream, font_size=font_size
            )
            self._font_ref = writer.allocate_placeholder()
            self.hb_font = hb_font
            self.tt = _GlyphNames(glyph_names)
            self.cff_charset = glyph_names
            self.use_raw_gids = False
            self.features = None
            self.units_per_em = units_per_em
            self._glyphs: dict[int, tuple[int, int]] = {}
            self._cid_to_unicode: dict[int, str] = {}
            self.ot_language_tag = None
            self.ot_script_tag = None
            self.writing_direction = None
            self.bcp47_lang_code = None
            self._subset_created = self._write_prepared = False

        @property
        def _reverse_cmap(self) -> Mapping[str, frozenset[int]]:
            return self.codepoints_by_glyph_name()

        def _get_cid_and_width(self, glyph_id: int) -> tuple[int, int]:
            return self.cid_and_width(glyph_id)

        def codepoints_by_glyph_name(self) -> Mapping[str, frozenset[int]]:
            raise NotImplementedError

        def cid_and_width(self, glyph_id: int) -> tuple[int, int]:
            raise NotImplementedError

        @property
        def glyphs(self) -> dict[int, tuple[int, int]]:
            """(CID, width) of every glyph used, by glyph id (filled by shaping)."""
            return self._glyphs

        @property
        def cid_to_unicode(self) -> dict[int, str]:
            return self._cid_to_unicode

        @property
        def font_ref(self) -> Any:
            return self._font_ref

        @property
        def write_prepared(self) -> bool:
            return bool(self._write_prepared)

        def mark_written(self) -> None:
            self._subset_created = self._write_prepared = True

        def tounicode_cmap(self) -> Any:
            return self._format_tounicode_cmap()  # type: ignore[no-untyped-call]

    return SharedFontGlyphAccumulator


def _reader_object_hook() -> type:
    """``ReaderWithObjectHook``: pyHanko's ``PdfFileReader`` whose private
    ``_read_object(ref, marker, never_decrypt, as_metadata_stream)`` (every
    object read from the file) goes through ``read_object_hook`` with
    ``pyhanko_read_object`` as pyHanko's own; ``historical_resolver_cache``
    is its private ``_historical_resolver_cache``.

    *Why:* :mod:`signing.validation.lazy_streams` leaves large stream
    payloads in the file until used (it swaps the reader's ``stream`` while
    one object is parsed) and installs its own revision views.
    *When it moves:* if the signature or role of ``_read_object`` changes,
    make ``LazyStreamReader`` a plain ``PdfFileReader`` (memory use grows
    with large images, results stay the same)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    class ReaderWithObjectHook(PdfFileReader):  # type: ignore[misc]
        def _read_object(
            self,
            ref: Any,
            marker: Any,
            never_decrypt: bool = False,
            as_metadata_stream: bool = False,
        ) -> Any:
            return self.read_object_hook(ref, marker, never_decrypt, as_metadata_stream)

        def read_object_hook(
            self, ref: Any, marker: Any, never_decrypt: bool, as_metadata_stream: bool
        ) -> Any:
            return self.pyhanko_read_object(ref, marker, never_decrypt, as_metadata_stream)

        def pyhanko_read_object(
            self, ref: Any, marker: Any, never_decrypt: bool, as_metadata_stream: bool
        ) -> Any:
            return PdfFileReader._read_object(self, ref, marker, never_decrypt, as_metadata_stream)

        @property
        def historical_resolver_cache(self) -> dict[int, Any]:
            cache: dict[int, Any] = self._historical_resolver_cache
            return cache

    return ReaderWithObjectHook


def _resolver_subsume_hook() -> type:
    """``ResolverWithSubsumeHook``: pyHanko's ``HistoricalResolver`` whose
    private ``_subsume_object(obj)`` (the copy of an object into one
    revision's view) goes through ``subsume_hook``, with
    ``pyhanko_subsume`` as pyHanko's own.

    *Why:* the revision views of :mod:`signing.validation.lazy_streams` keep
    deferred payloads deferred when they copy a stream.
    *When it moves:* as for ``ReaderWithObjectHook``."""
    from pyhanko.pdf_utils.reader import HistoricalResolver

    class ResolverWithSubsumeHook(HistoricalResolver):  # type: ignore[misc]
        def _subsume_object(self, obj: Any) -> Any:
            return self.subsume_hook(obj)

        def subsume_hook(self, obj: Any) -> Any:
            return self.pyhanko_subsume(obj)

        def pyhanko_subsume(self, obj: Any) -> Any:
            return HistoricalResolver._subsume_object(self, obj)  # type: ignore[no-untyped-call]

    return ResolverWithSubsumeHook


def _stream_payload_hook() -> type:
    """``StreamWithPayloadHook``: pyHanko's ``StreamObject``, whose private
    ``_encoded_data`` attribute (the stream's encoded payload, read by
    ``encoded_data``, ``data`` and the writer) becomes the hooks
    ``get_payload()`` / ``set_payload(value)``.

    *Why:* a deferred payload (:mod:`signing.validation.lazy_streams`) is
    read from the file on first use.
    *When it moves:* as for ``ReaderWithObjectHook``."""
    from pyhanko.pdf_utils import generic

    class StreamWithPayloadHook(generic.StreamObject):  # type: ignore[misc]
        @property  # type: ignore[override]
        def _encoded_data(self) -> bytes | None:
            return self.get_payload()

        @_encoded_data.setter
        def _encoded_data(self, value: bytes | None) -> None:
            self.set_payload(value)

        def get_payload(self) -> bytes | None:
            raise NotImplementedError

        def set_payload(self, value: bytes | None) -> None:
            raise NotImplementedError

    return StreamWithPayloadHook


def stream_payload(obj: Any) -> Any:
    """``obj._encoded_data`` of a pyHanko ``StreamObject`` (without decoding
    or loading anything). See ``StreamWithPayloadHook``."""
    return obj._encoded_data


# --- pyhanko-certvalidator ----------------------------------------------------


def _indexed_trust_manager_base() -> type:
    """``IndexedTrustManagerBase``: pyhanko-certvalidator's
    ``SimpleTrustManager``, relied on for two undocumented behaviours:

    * ``ValidationContext`` copies the ``iter_certs()`` of a trust manager
      that is a ``SimpleTrustManager`` into its certificate registry (and
      only then): :class:`signing.validation.trust_manager.AnchorTrustManager`
      yields only the anchors that are not on an EU list there, so that the
      ~1500 EU anchors are not copied into every context;
    * its private ``_register_root`` (what ``build()`` calls per root) is
      refused here, so that a subclass built the ``SimpleTrustManager`` way
      (without its own indexes) fails instead of trusting nothing.

    *When it moves:* if ``ValidationContext`` stops calling ``iter_certs``,
    pass the registered anchors as ``other_certs`` instead; if ``build``
    changes, make sure no subclass instance escapes without its indexes."""
    from pyhanko_certvalidator.registry import SimpleTrustManager

    class IndexedTrustManagerBase(SimpleTrustManager):  # type: ignore[misc]
        def _register_root(self, trust_root: Any) -> None:
            raise NotImplementedError(f"build a {type(self).__name__} with its own constructor")

    return IndexedTrustManagerBase


#: one HTTP exchange: (method, url, body, headers) -> an answer with
#: ``status``, ``headers`` and ``content`` (see :mod:`signing.net.bounded_http`)
Exchange = Callable[[str, str, bytes | None, dict[str, str], int], Any]


def bounded_requests_fetchers(
    exchange: Exchange, *, limits: Any, user_agent: str | None, max_bytes: Mapping[str, int]
) -> Any:
    """pyhanko-certvalidator's requests-based OCSP, CRL and certificate
    fetchers, sharing one ``FetchBudget(limits)``, whose private
    ``RequestsFetcherMixin._get`` / ``_post`` go through ``exchange`` (with
    ``max_bytes["ocsp"|"crl"|"cert"]``) instead of ``requests.get/post``.

    *Why:* those methods call ``requests`` with a per-read timeout and read
    the whole body: a CRL server trickling bytes or sending gigabytes held a
    validation for minutes and took gigabytes of memory. pyHanko offers no
    hook for the HTTP client. ``exchange`` bounds the whole request and its
    size; a failure is raised as ``requests.RequestException``, which the
    fetchers turn into their usual ``OCSPFetchError`` / ``CRLFetchError``.
    *When it moves:* the contract is ``await self._get(url,
    acceptable_content_types=...)`` and ``await self._post(url, data,
    content_type=..., acceptable_content_types=...)`` returning an object
    with ``content`` and ``headers``; find the new HTTP seam, or write
    fetchers against the public ``OCSPFetcher``/``CRLFetcher``/
    ``CertificateFetcher`` APIs."""
    import asyncio

    import requests
    from pyhanko_certvalidator.fetchers.api import Fetchers
    from pyhanko_certvalidator.fetchers.common_utils import FetchBudget
    from pyhanko_certvalidator.fetchers.requests_fetchers.cert_fetch_client import (
        RequestsCertificateFetcher,
    )
    from pyhanko_certvalidator.fetchers.requests_fetchers.crl_client import RequestsCRLFetcher
    from pyhanko_certvalidator.fetchers.requests_fetchers.ocsp_client import RequestsOCSPFetcher

    class Bounded:
        kind = ""

        def _bounded(
            self, method: str, url: str, data: bytes | None, headers: dict[str, str]
        ) -> Any:
            try:
                answer = exchange(method, url, data, headers, max_bytes[self.kind])
            except Exception as exc:  # bounded_http.HttpFailure and the like
                raise requests.RequestException(str(exc)) from None
            if answer.status != 200:
                raise requests.RequestException(f"status code {answer.status}")
            return answer

        def _get(self, url: str, *, acceptable_content_types: Any) -> Any:
            headers = {
                "Accept": ",".join(acceptable_content_types),
                "User-Agent": self.user_agent,  # type: ignore[attr-defined]
            }
            return asyncio.to_thread(self._bounded, "GET", url, None, headers)

        def _post(
            self, url: str, data: bytes, *, content_type: str, acceptable_content_types: Any
        ) -> Any:
            headers = {
                "Accept": ",".join(acceptable_content_types),
                "User-Agent": self.user_agent,  # type: ignore[attr-defined]
                "Content-Type": content_type,
            }
            return asyncio.to_thread(self._bounded, "POST", url, data, headers)

    class OCSP(Bounded, RequestsOCSPFetcher):  # type: ignore[misc]
        kind = "ocsp"

    class CRL(Bounded, RequestsCRLFetcher):  # type: ignore[misc]
        kind = "crl"

    class Cert(Bounded, RequestsCertificateFetcher):  # type: ignore[misc]
        kind = "cert"

    budget = FetchBudget(limits)
    return Fetchers(
        ocsp_fetcher=OCSP(user_agent=user_agent, budget=budget),
        crl_fetcher=CRL(user_agent=user_agent, budget=budget),  # type: ignore[no-untyped-call]
        cert_fetcher=Cert(user_agent=user_agent, budget=budget),
    )


# --- asn1crypto ---------------------------------------------------------------


def _certificate_copy_hook() -> type:
    """``CertificateWithCopyHook``: asn1crypto's ``x509.Certificate`` whose
    private ``_copy(other, copy_func)`` (what ``copy()``, ``untag()`` and
    ``retag()`` use to fill a copy) calls ``after_copy()`` on the copy.

    *Why:* :class:`signing.validation.tolerant_certs.TolerantCertificate`
    fixes a negative RSA modulus on the parsed key; pyHanko takes copies of
    certificates, which must keep the fix.
    *When it moves:* find the method asn1crypto's ``Asn1Value.copy`` calls
    on the new object; without it, certificates with a negative modulus
    (old Estonian ID cards) crash validation again."""
    from asn1crypto import x509

    class CertificateWithCopyHook(x509.Certificate):  # type: ignore[misc]
        def _copy(self, other: Any, copy_func: Any) -> None:
            super()._copy(other, copy_func)
            self.after_copy()

        def after_copy(self) -> None:
            return None

    return CertificateWithCopyHook


@contextlib.contextmanager
def encodings_kept(*values: Any) -> Iterator[None]:
    """Restore each asn1crypto value's private ``_header``, ``contents`` and
    ``_trailer`` (its DER encoding) on leaving: a child may be changed and
    re-encoded without changing the parents' bytes.

    *Why:* the certificate's signature and hash cover the original bytes
    (:mod:`signing.validation.tolerant_certs`).
    *When it moves:* find where asn1crypto keeps a value's encoding (what
    ``dump()`` returns when not mutated)."""
    saved = [(v, v._header, v.contents, v._trailer) for v in values]
    try:
        yield
    finally:
        for value, header, contents, trailer in saved:
            value._header, value.contents, value._trailer = header, contents, trailer


def mark_unmutated(value: Any) -> None:
    """Clear asn1crypto's private ``_mutated`` flag, so that the parents'
    ``dump()`` keeps their stored encoding (see :func:`encodings_kept`)."""
    value._mutated = False


def replace_chosen(choice: Any, value: Any) -> None:
    """Make ``value`` the parsed alternative of an asn1crypto ``Choice``
    (its private ``_parsed``), keeping the choice's encoding.

    *Why:* :func:`signing.validation.tolerant_certs.normalise_signed_data`
    swaps a CMS structure's certificates for shared parsed copies (same
    bytes), so that what asn1crypto caches on them is computed once.
    *When it moves:* find where ``Choice.chosen`` keeps its parsed value."""
    choice._parsed = value


#: how many distinct RDNs :func:`install_name_value_cache` remembers
NAME_VALUE_CACHE_SIZE = 8192


def install_name_value_cache() -> bool:
    """Memoise asn1crypto's ``x509.RelativeDistinguishedName._get_values``
    by the RDN's DER (once per process; returns whether it is in place).

    *What:* the private method every ``Name`` comparison and ``hashable``
    calls, for each RDN on both sides, which runs RFC 4518 string
    preparation (``prepped_value``) on every value, every time.
    *Why:* a small B-LT validation compares names some 200 times (issuer
    and serial matching, ESS certificate IDs, OCSP responders, the
    certificate registry of each validation context): 12 % of its time went
    into preparing the same few strings again. The prepared values are a
    function of the RDN's encoding alone, so the memo (bounded by
    :data:`NAME_VALUE_CACHE_SIZE`, a copy handed out each time) changes no
    comparison.
    *When it moves:* if ``_get_values`` is renamed or starts caching by
    itself, drop this (validation gets slower, not wrong)."""
    from asn1crypto import x509

    cls = x509.RelativeDistinguishedName
    current = cls._get_values
    if getattr(current, "shomei_memo", False):
        return True
    memo: dict[bytes, dict[str, Any]] = {}

    def _get_values(self: Any, rdn: Any) -> dict[str, Any]:
        try:
            key = rdn.dump()
        except Exception:  # (an unencodable value: as asn1crypto would fail)
            return current(self, rdn)  # type: ignore[no-any-return]
        values = memo.get(key)
        if values is None:
            values = current(self, rdn)
            if len(memo) >= NAME_VALUE_CACHE_SIZE:
                memo.clear()
            memo[key] = values
        return dict(values)

    _get_values.shomei_memo = True  # type: ignore[attr-defined]
    _get_values.__wrapped__ = current  # type: ignore[attr-defined]
    cls._get_values = _get_values
    return True


# --- CPython ------------------------------------------------------------------

#: added once to None's reference count (see :func:`keep_none_alive`)
NONE_REFCOUNT_BOOST = 1 << 48


def keep_none_alive() -> None:
    """Raise ``None``'s reference count (CPython's ``ob_refcnt``, written
    through ctypes) by :data:`NONE_REFCOUNT_BOOST`, once, on CPython < 3.12.

    *Why:* PySide6 6.12 returns ``None`` from void C++ methods without
    taking a reference (harmless on 3.12+, where ``None`` is immortal). On
    3.11 every such call drops one reference to ``None``; after some tens of
    thousands of calls CPython aborts with "none_dealloc: deallocating None".
    *When it moves:* ``ob_refcnt`` is the first field of every object on
    CPython up to 3.11; nothing to do on 3.12+ (immortal objects). Drop this
    when PySide6 is fixed or 3.11 is no longer supported."""
    if sys.version_info >= (3, 12) or getattr(keep_none_alive, "done", False):
        return
    refcnt = ctypes.c_ssize_t.from_address(id(None))
    refcnt.value += NONE_REFCOUNT_BOOST
    keep_none_alive.done = True  # type: ignore[attr-defined]


# --- the base classes, built on first access ----------------------------------

_CLASSES: dict[str, Callable[[], type]] = {
    "TextStampHooks": _text_stamp_hooks,
    "SignerWithAttributeHook": _signer_attribute_hook,
    "SharedFontGlyphAccumulator": _shared_font_accumulator,
    "ReaderWithObjectHook": _reader_object_hook,
    "XRefBuilderHooks": _xref_builder_hooks,
    "WriterWithMetaHook": _writer_meta_hook,
    "StandardHandlerWithRevisionHook": _standard_handler_revision_hook,
    "ResolverWithSubsumeHook": _resolver_subsume_hook,
    "StreamWithPayloadHook": _stream_payload_hook,
    "IndexedTrustManagerBase": _indexed_trust_manager_base,
    "CertificateWithCopyHook": _certificate_copy_hook,
}


def __getattr__(name: str) -> Any:
    build = _CLASSES.get(name)
    if build is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    cls = build()
    cls.__doc__ = build.__doc__  # (what it is, why, what to do when it moves)
    globals()[name] = cls
    return cls
