"""``shomei sign``, ``seal``, ``timestamp`` and ``extend``.

Secrets for scripts: the key password comes from ``SHOMEI_KEY_PASSWORD`` or
``--password-file``, a PDF's password from ``SHOMEI_PDF_PASSWORD`` or
``--pdf-password-file``, a token's PIN (and the per-signature PIN of a key
that needs one) from ``SHOMEI_PIN`` or ``--pin-file``, a remote signing
service's one-time password from ``SHOMEI_OTP`` or ``--otp-file``; otherwise
they are asked on the terminal, and only when there is one. A scripted answer
that is refused is never tried again (a token counts every wrong PIN), and a
scripted PIN is not used on a token's last try.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from signing import api
from signing.api import (
    SIGNING_LEVELS,
    CertifyLevel,
    FieldPlacement,
    Level,
    PinState,
    SecretKind,
    SecretRequest,
)
from signing.cli.main import PDF_PASSWORD_ENV, WARNING_TAG, message_lang
from signing.errors import NoSecretError, OutputError, ShomeiError, UserCancelled

if TYPE_CHECKING:
    from signing.api import AppearanceSpec, SignedResult
    from signing.model.results import Reason

KEY_PASSWORD_ENV = "SHOMEI_KEY_PASSWORD"
PIN_ENV = "SHOMEI_PIN"
OTP_ENV = "SHOMEI_OTP"

#: the kinds a PIN from SHOMEI_PIN / --pin-file answers
_PIN_KINDS = (SecretKind.PIN, SecretKind.SIGNATURE_PIN)

_BOX = re.compile(
    r"^\s*(?P<page>\d+)\s*/\s*(?P<coords>[-+0-9.eE]+(?:\s*,\s*[-+0-9.eE]+){3})\s*(?P<unit>pt|mm)?\s*$"
)


class UsageError(ShomeiError):
    code = "usage"


#: the secrets' names in Japanese, for the lines printed with --lang ja
_LABELS_JA = {
    SecretKind.KEY_PASSWORD: "鍵ファイルのパスワード",
    SecretKind.PDF_PASSWORD: "PDFのパスワード",
    SecretKind.PIN: "PIN",
    SecretKind.SIGNATURE_PIN: "署名用PIN",
    SecretKind.OTP: "ワンタイムパスワード",
}


class CliPrompt:
    """Answers from the environment or a file, else from the terminal.

    A scripted answer that was refused is not asked again; the terminal is
    asked up to three times in a row. A scripted PIN is not used when the
    token says only one try is left: a script must not lock the card.
    """

    _LABELS: ClassVar[dict[SecretKind, tuple[str, str, str]]] = {
        SecretKind.KEY_PASSWORD: ("key file password", KEY_PASSWORD_ENV, "--password-file"),
        SecretKind.PDF_PASSWORD: ("PDF password", PDF_PASSWORD_ENV, "--pdf-password-file"),
        SecretKind.PIN: ("PIN", PIN_ENV, "--pin-file"),
        SecretKind.SIGNATURE_PIN: ("signature PIN", PIN_ENV, "--pin-file"),
        SecretKind.OTP: ("one-time password", OTP_ENV, "--otp-file"),
    }

    def __init__(
        self, scripted: dict[SecretKind, str], interactive: bool, lang: str = "en"
    ) -> None:
        self._scripted = scripted
        self._interactive = interactive
        #: the language of the lines printed at the terminal (--lang ja)
        self._lang = lang
        self._asked: dict[SecretKind, int] = {}

    def ask(self, request: SecretRequest) -> str:
        label, env, option = self._LABELS.get(
            request.kind, (request.kind.value, "the environment", "a file")
        )
        scripted = self._scripted.get(request.kind)
        last_try = request.kind in _PIN_KINDS and request.pin_state is PinState.FINAL_TRY
        label_ja = _LABELS_JA.get(request.kind, label)
        if scripted is not None and not (last_try and self._interactive):
            if request.retry:
                raise NoSecretError(
                    f"The {label} given for {request.target} was refused.",
                    ja=f"{request.target}に指定された{label_ja}は拒否されました。",
                )
            if last_try:
                raise NoSecretError(
                    f"Only one {label} try is left on {request.target}: a wrong {label} "
                    f"would lock it, so the {label} from {env} or {option} was not used. "
                    "Enter it at a terminal.",
                    ja=f"{request.target}の{label_ja}の残り試行回数は1回です。間違えるとロックされる"
                    f"ため、{env}または{option}の{label_ja}は使いませんでした。"
                    "端末で入力してください。",
                )
            return scripted
        if not self._interactive:
            raise NoSecretError(
                f"The {label} for {request.target} is needed: set {env} or use {option} "
                "(no terminal to ask on).",
                ja=f"{request.target}の{label_ja}が必要です。{env}を設定するか{option}を"
                "使ってください（入力を求める端末がありません）。",
            )
        count = self._asked.get(request.kind, 0) if request.retry else 0
        if count >= 3:
            raise NoSecretError(
                f"The {label} for {request.target} was refused three times.",
                ja=f"{request.target}の{label_ja}が3回拒否されました。",
            )
        self._asked[request.kind] = count + 1
        ja = self._lang == "ja"
        if request.retry:
            wrong = f"{label_ja}が違います。もう一度入力してください。" if ja else None
            print(f"shomei: {wrong or f'wrong {label}, try again.'}", file=sys.stderr)
        note = _pin_note(request, self._lang)
        if note:
            print(f"shomei: {note}", file=sys.stderr)
        question = (
            f"{request.target}の{label_ja}: "
            if ja
            else f"{label[0].upper()}{label[1:]} for {request.target}: "
        )
        try:
            return getpass.getpass(question)
        except (EOFError, KeyboardInterrupt):
            raise UserCancelled() from None


def _pin_note(request: SecretRequest, lang: str = "en") -> str:
    """What the token says about its PIN, shown before the prompt."""
    ja = lang == "ja"
    if request.pin_state is PinState.FINAL_TRY or request.tries_left == 1:
        if ja:
            return "残り1回です。PINを間違えるとトークンがロックされます。"
        return "only one try is left: a wrong PIN now locks the token."
    if request.tries_left is not None:
        return f"残り{request.tries_left}回です。" if ja else f"{request.tries_left} tries left."
    if request.pin_state is PinState.COUNT_LOW:
        if ja:
            return "トークンによると、PINの残り試行回数が少なくなっています。"
        return "the token reports that few PIN tries are left."
    return ""


def read_secret_file(path: str) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(
            f"Cannot read the secret file {path}: {exc.strerror or exc}.",
            ja=f"秘密情報のファイル{path}を読み取れません：{exc.strerror or exc}。",
        ) from None
    except UnicodeDecodeError:
        # (the decoder's message quotes the offending byte: never shown)
        raise UsageError(
            f"The secret file {path} is not UTF-8 text; save it as UTF-8 (one line).",
            ja=f"秘密情報のファイル{path}はUTF-8のテキストではありません。UTF-8（1行）で"
            "保存してください。",
        ) from None
    # One line; a trailing newline from an editor or echo is not part of it.
    return text.splitlines()[0] if text else ""


def build_prompt(args: argparse.Namespace) -> CliPrompt:
    scripted: dict[SecretKind, str] = {}
    key_file = getattr(args, "password_file", None)
    if key_file:
        scripted[SecretKind.KEY_PASSWORD] = read_secret_file(key_file)
    elif os.environ.get(KEY_PASSWORD_ENV) is not None:
        scripted[SecretKind.KEY_PASSWORD] = os.environ[KEY_PASSWORD_ENV]
    pdf_file = getattr(args, "pdf_password_file", None)
    if pdf_file:
        scripted[SecretKind.PDF_PASSWORD] = read_secret_file(pdf_file)
    elif os.environ.get(PDF_PASSWORD_ENV) is not None:
        scripted[SecretKind.PDF_PASSWORD] = os.environ[PDF_PASSWORD_ENV]
    pin_file = getattr(args, "pin_file", None)
    pin = read_secret_file(pin_file) if pin_file else os.environ.get(PIN_ENV)
    if pin is not None:
        for kind in _PIN_KINDS:
            scripted[kind] = pin
    otp_file = getattr(args, "otp_file", None)
    otp = read_secret_file(otp_file) if otp_file else os.environ.get(OTP_ENV)
    if otp is not None:
        scripted[SecretKind.OTP] = otp
    del pin, otp
    interactive = sys.stdin is not None and sys.stdin.isatty()
    return CliPrompt(scripted, interactive, message_lang(args))


def parse_field(text: str) -> FieldPlacement:
    """``PAGE/X1,Y1,X2,Y2`` (points, or millimetres with a ``mm`` suffix),
    ``NAME=PAGE/X1,Y1,X2,Y2`` for a named new field, or an existing ``NAME``."""
    name = None
    spec = text
    if "=" in text:
        name, _, spec = text.partition("=")
    m = _BOX.match(spec)
    if m is None:
        if name is not None or ("/" in text and re.match(r"^\s*\d+\s*/", text)):
            raise UsageError(
                f"Cannot read the field {text!r}: use PAGE/X1,Y1,X2,Y2 (e.g. 1/50,50,250,120 "
                "or 1/20,20,90,45mm) or the name of an existing empty field.",
                ja=f"フィールドの指定{text!r}を解釈できません。PAGE/X1,Y1,X2,Y2"
                "（例：1/50,50,250,120や1/20,20,90,45mm）か、既存の空の署名フィールドの名前を"
                "指定してください。",
            )
        return FieldPlacement.existing(text)
    coords = [float(c) for c in m["coords"].split(",")]
    page = int(m["page"])
    if page < 1:
        raise UsageError("Pages are numbered from 1.", ja="ページ番号は1から数えます。")
    return FieldPlacement(
        page=page,
        box=(coords[0], coords[1], coords[2], coords[3]),
        unit=m["unit"] or "pt",
        field_name=name or None,
    )


def _level(text: str | None) -> Level | None:
    if text is None:
        return None
    try:
        return api.parse_level(text)
    except ValueError as exc:
        raise UsageError(str(exc), ja=f"PAdESのレベルを解釈できません：{text!r}。") from None


#: the line saying what was written, by verb, in English and Japanese
_DONE = {
    "Signed": "署名しました",
    "Sealed": "eシールを付与しました",
    "Timestamped": "タイムスタンプを付与しました",
    "Extended": "検証データを付加しました",
}


def done_line(result: SignedResult, verb: str, lang: str = "en") -> str:
    """``Signed OUT.pdf (B-LT, field Sig1)``, or its Japanese with ``--lang ja``."""
    if lang == "ja":
        return (
            f"{_DONE[verb]}: {result.output_path}"
            f"（{result.level.value}、フィールド{result.field_name}）"
        )
    return f"{verb} {result.output_path} ({result.level.value}, field {result.field_name})"


def _warn(reason: Reason, lang: str) -> None:
    print(WARNING_TAG[lang] + (reason.ja if lang == "ja" else reason.en), file=sys.stderr)


def _emit(
    args: argparse.Namespace,
    result: SignedResult,
    verb: str,
    presign: tuple[Reason, ...] = (),
) -> int:
    """Print the result; warnings go to stderr, except those already shown
    before signing (``presign``: the same codes). Japanese with ``--lang ja``."""
    lang = message_lang(args)
    if args.json:
        doc = result.to_json()
        doc["presign_warnings"] = [{"code": r.code, "en": r.en, "ja": r.ja} for r in presign]
        print(json.dumps(doc, ensure_ascii=False))
    else:
        print(done_line(result, verb, lang))
    shown = {r.code for r in presign}
    for notice in result.notices:
        if notice.code not in shown:
            _warn(notice, lang)
    return 0


def _appearance(args: argparse.Namespace) -> AppearanceSpec | None:
    if not (args.image or args.template or args.lang != "auto" or args.image_behind):
        return None
    return api.AppearanceSpec(
        template=args.template.replace("\\n", "\n") if args.template else None,
        image=Path(args.image) if args.image else None,
        image_position="behind" if args.image_behind else "left",
        language=args.lang,
    )


def check_new_output(args: argparse.Namespace) -> None:
    """Refuse an output that is not a regular file, and an existing one
    unless ``--force`` (the app asks first, the CLI cannot)."""
    output = Path(args.output)
    api.check_regular_target(output)
    if output.exists() and not args.force:
        raise OutputError(
            f"{output} already exists; use --force to replace it.",
            ja=f"{output}はすでに存在します。置き換えるには--forceを付けてください。",
        )


def _run_sign(args: argparse.Namespace) -> int:
    check_new_output(args)

    placement = parse_field(args.field) if args.field else FieldPlacement.invisible()
    request = api.SignRequest(
        input_path=Path(args.input),
        output_path=Path(args.output),
        key_source=api.key_source_from_spec(args.key),
        mode=api.SignMode.SEAL if args.command == "seal" else api.SignMode.SIGN,
        level=_level(args.level),
        tsa_urls=tuple(args.tsa),
        tsa_timeout=args.tsa_timeout,
        trust_roots=tuple(Path(p) for p in args.trust),
        placement=placement,
        reason=args.reason,
        location=args.location,
        contact=args.contact,
        certify=CertifyLevel(args.certify) if args.certify and args.certify != "no" else None,
        appearance=_appearance(args),
    )
    presign: tuple[Reason, ...] = ()

    def show_presign(reasons: tuple[Reason, ...]) -> bool:
        # Before the signature is made (and before a per-signature PIN is asked):
        # e.g. that a My Number card certificate discloses personal data.
        nonlocal presign
        presign = reasons
        for reason in reasons:
            _warn(reason, message_lang(args))
        return True  # a warning, not a question: the command line was explicit

    result = api.sign_pdf(request, build_prompt(args), confirm=show_presign)
    return _emit(args, result, "Sealed" if args.command == "seal" else "Signed", presign)


def _run_timestamp(args: argparse.Namespace) -> int:
    check_new_output(args)

    request = api.TimestampRequest(
        input_path=Path(args.input),
        output_path=Path(args.output),
        tsa_urls=tuple(args.tsa),
        tsa_timeout=args.tsa_timeout,
        trust_roots=tuple(Path(p) for p in args.trust),
    )
    return _emit(args, api.timestamp_pdf(request, build_prompt(args)), "Timestamped")


def _run_extend(args: argparse.Namespace) -> int:
    check_new_output(args)

    level = _level(args.level) or Level.B_LTA
    request = api.ExtendRequest(
        input_path=Path(args.input),
        output_path=Path(args.output),
        level=level,
        tsa_urls=tuple(args.tsa),
        tsa_timeout=args.tsa_timeout,
        trust_roots=tuple(Path(p) for p in args.trust),
    )
    return _emit(args, api.extend_pdf(request, build_prompt(args)), "Extended")


def _common(p: argparse.ArgumentParser, *, tsa_required: bool) -> None:
    p.add_argument("input", metavar="INPUT.pdf")
    p.add_argument("-o", "--output", required=True, metavar="OUTPUT.pdf")
    p.add_argument(
        "--tsa",
        action="append",
        default=[],
        required=tsa_required,
        metavar="URL",
        help="time-stamping server; repeat to fail over to the next",
    )
    p.add_argument("--tsa-timeout", type=float, default=10.0, metavar="SECONDS")
    p.add_argument(
        "--trust",
        action="append",
        default=[],
        metavar="ROOT.pem",
        help="trust anchor for validating certificate chains (repeatable)",
    )
    p.add_argument("--pdf-password-file", metavar="FILE", help="password of an encrypted input PDF")
    p.add_argument("--json", action="store_true", help="print a machine-readable result")
    p.add_argument(
        "--force", action="store_true", help="replace OUTPUT.pdf if it exists (a regular file)"
    )


def register(sub: argparse._SubParsersAction[Any]) -> None:
    levels = [lv.value for lv in SIGNING_LEVELS]
    for name, helptext in (
        ("sign", "sign a PDF as a person"),
        ("seal", "seal a PDF for an organisation"),
    ):
        p = sub.add_parser(name, help=helptext, description=helptext)
        _common(p, tsa_required=False)
        p.add_argument(
            "--key", required=True, metavar="p12:PATH", help="p12:PATH, pkcs11:..., csc:..."
        )
        p.add_argument(
            "--level",
            choices=levels,
            help="PAdES level (default: B-LT with --tsa, else B-B)",
        )
        p.add_argument(
            "--field",
            metavar="PAGE/X1,Y1,X2,Y2",
            help="visible signature box in points (suffix mm for millimetres), measured in "
            "the page's user space as the page is without /Rotate: x right and y up from "
            "the user-space origin (not from the crop box corner), a /UserUnit page "
            "converted; the box must lie inside the page's crop box. Or the name of an "
            "existing empty signature field; default invisible",
        )
        p.add_argument("--reason")
        p.add_argument("--location")
        p.add_argument("--contact")
        p.add_argument(
            "--certify",
            choices=["no", *[c.value for c in CertifyLevel]],
            help="make a certification signature allowing these changes afterwards",
        )
        p.add_argument("--image", metavar="PNG", help="hanko or handwritten signature image")
        p.add_argument("--image-behind", action="store_true", help="draw the image behind the text")
        p.add_argument("--template", help="appearance text with %%(signer)s, %%(ts)s, ...")
        p.add_argument(
            "--lang",
            choices=["auto", "en", "ja"],
            default="auto",
            help="language of the signature's appearance (auto: from the signer's name); "
            "ja also prints the lines, warnings and errors in Japanese",
        )
        p.add_argument("--password-file", metavar="FILE", help="file holding the key password")
        p.add_argument(
            "--pin-file",
            metavar="FILE",
            help=f"file holding the token PIN (also the per-signature PIN); or set {PIN_ENV}",
        )
        p.add_argument(
            "--otp-file",
            metavar="FILE",
            help=f"file holding the remote service's one-time password; or set {OTP_ENV}",
        )
        p.set_defaults(func=_run_sign)

    p = sub.add_parser("timestamp", help="add a document timestamp")
    _common(p, tsa_required=True)
    _lines_lang(p)
    p.set_defaults(func=_run_timestamp)

    p = sub.add_parser("extend", help="add validation data (B-LT) and an archive timestamp (B-LTA)")
    _common(p, tsa_required=False)
    _lines_lang(p)
    p.add_argument("--level", choices=["B-LT", "B-LTA"], default="B-LTA")
    p.set_defaults(func=_run_extend)


def _lines_lang(p: argparse.ArgumentParser) -> None:
    # (sign and seal have --lang already: the appearance's language)
    p.add_argument(
        "--lang",
        choices=("en", "ja"),
        default="en",
        help="language of the lines printed (as for validate)",
    )
