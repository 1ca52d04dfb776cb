"""``shomei trust status|update|import``: the EU trusted lists and Shomei's
Japanese list in the cache.

Both print one line per EU list (the LOTL first, then each territory) and,
in a table of its own, the Japanese list (``JP``: compiled and signed by
Shomei, never an EU trusted list) or, with ``--json``, an object the GUI and
scripts can read: ``lists`` (EU) and ``jp`` (the Japanese row, ``"scheme":
"jp"``). ``update`` downloads, verifies and stores the EU lists and, with
``--jp-url``, the Japanese list; a list that fails keeps its last good copy,
is reported, and makes the exit code 1. ``update --tl-mirror BASE`` fetches
the national lists from a mirror. ``import DIR|ZIP`` verifies and stores the
lists of a folder or zip archive exactly as downloads (no network; exit code 1
when some file was refused). ``--lang ja`` prints the tables' headings and
states, the notes and the errors in Japanese (as ``validate --lang ja``); the
JSON keeps its keys, its messages follow the language.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from signing import api
from signing.cli.main import ERROR_TAG, message_lang

if TYPE_CHECKING:
    from signing.api import EuTrustConfig, JpTrustConfig, ListStatus, TrustStatus

_Config = TypeVar("_Config", "EuTrustConfig", "JpTrustConfig")

#: the state column's word for each freshness, by language
_STATE = {
    "en": {"current": "ok", "stale": "stale", "missing": "missing"},
    "ja": {"current": "最新", "stale": "期限切れ", "missing": "未取得"},
}

#: the table's headings, by language
_HEADINGS = {
    "en": ("list", "seq", "issued", "next", "svcs", "fetched", "state"),
    "ja": ("リスト", "連番", "発行日", "次回更新", "件数", "取得日", "状態"),
}

#: the lines the command prints besides the table, by language
_TEXT = {
    "en": {
        "jp-heading": "Japanese list (compiled and signed by Shomei; not an EU trusted list):",
        "last-error": "; last error: {error}",
        "imported": "imported: {keys}",
        "jp-only": "--jp-only needs an update URL (--jp-url or $SHOMEI_JP_LIST_URL)",
        "offline": "the trusted lists were not updated: {error} Is this computer offline? "
        "Every list keeps its last good copy (see `shomei trust status`).",
        "grouped": "{keys}: the trusted-list servers {cause}.",
        "one": "{key}: {error}",
    },
    "ja": {
        "jp-heading": "日本のリスト（Shomeiが作成し署名したもの。"
        "EUのトラストリストではありません）：",
        "last-error": "（前回のエラー：{error}）",
        "imported": "インポートしました：{keys}",
        "jp-only": "--jp-onlyには更新URLが必要です（--jp-urlまたは$SHOMEI_JP_LIST_URL）。",
        "offline": "トラストリストを更新できませんでした：{error}"
        "このコンピューターはオフラインではありませんか。"
        "どのリストも最後に正しく取得した写しを使い続けます"
        "（`shomei trust status`で確認できます）。",
        "grouped": "{keys}：トラストリストのサーバーから取得できません（{cause}）。",
        "one": "{key}：{error}",
    },
}


def register(sub: argparse._SubParsersAction[Any]) -> None:
    trust = sub.add_parser(
        "trust", help="EU trusted lists and the Japanese list: status and update"
    )
    tsub = trust.add_subparsers(dest="trust_command", metavar="ACTION")
    for name, helptext in (
        ("status", "show the cached lists (no network)"),
        ("update", "download, verify and store the lists"),
        ("import", "verify and store lists from a folder or zip archive (no network)"),
    ):
        p = tsub.add_parser(name, help=helptext)
        p.add_argument("--json", action="store_true", help="machine-readable output")
        p.add_argument(
            "--lang",
            choices=("en", "ja"),
            default="en",
            help="language of the lines printed (as for validate)",
        )
        p.add_argument("--cache-dir", type=Path, help="trusted-list cache folder")
        p.add_argument("--lotl-url", help="where to download the LOTL")
        p.add_argument(
            "--lotl-signers", type=Path, help="PEM file with the pinned LOTL signer certificates"
        )
        p.add_argument("--proxy", help="HTTP(S) proxy URL (default: environment)")
        p.add_argument(
            "--no-snapshot",
            action="store_true",
            help="do not seed from the bundled snapshot and the bundled Japanese list",
        )
        p.add_argument(
            "--jp-signers",
            type=Path,
            metavar="PEM",
            help="PEM file with the pinned Japanese list signer certificates (default: the app's)",
        )
        if name == "import":
            p.add_argument(
                "source",
                type=Path,
                metavar="DIR|ZIP",
                help="folder or zip archive holding the LOTL and national lists (XML)",
            )
        if name == "update":
            p.add_argument(
                "--tl-mirror",
                metavar="BASE",
                help="download the national lists from this mirror: BASE/{territory}/{file}, "
                "or a BASE holding {territory} and/or {file}",
            )
            p.add_argument(
                "--jp-url",
                metavar="URL",
                help="download a newer signed Japanese list from URL (default: "
                "$SHOMEI_JP_LIST_URL, else where the list in use says it is published)",
            )
            p.add_argument(
                "--jp-only",
                action="store_true",
                help="only the Japanese list; leave the EU lists as they are",
            )
            p.add_argument(
                "--territory",
                action="append",
                metavar="CC",
                help="only this territory (repeatable); the LOTL is always refreshed",
            )
        p.set_defaults(func={"status": _status, "update": _update, "import": _import}[name])
    trust.set_defaults(func=lambda args: (trust.print_help(), 2)[1])


def _shared_options(config: _Config, args: argparse.Namespace) -> _Config:
    """``--cache-dir`` and ``--proxy``, which the EU and the Japanese lists share."""
    if args.cache_dir:
        config = replace(config, cache_dir=args.cache_dir)
    if args.proxy:
        config = replace(config, fetch=replace(config.fetch, proxy=args.proxy))
    return config


def _eu_config(args: argparse.Namespace) -> EuTrustConfig:
    config = _shared_options(api.EuTrustConfig(), args)
    if args.lotl_url:
        config = replace(config, lotl_url=args.lotl_url)
    if args.lotl_signers:
        config = replace(config, lotl_signers=api.load_pem_certs(args.lotl_signers.read_bytes()))
    if args.no_snapshot:
        config = replace(config, snapshot_dir=None)
    if getattr(args, "tl_mirror", None):
        config = replace(config, tl_mirror=args.tl_mirror)
    return config


def _jp_config(args: argparse.Namespace) -> JpTrustConfig:
    config = _shared_options(api.JpTrustConfig(), args)
    if args.jp_signers:
        config = replace(config, signers=api.load_pem_certs(args.jp_signers.read_bytes()))
    if args.no_snapshot:
        config = replace(config, bundled_list=None)
    return config


def _day(d: datetime | None) -> str:
    return d.strftime("%Y-%m-%d") if d else "-"


def _pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded to ``width`` terminal columns (a kanji takes two)."""
    used = sum(2 if ord(c) >= 0x1100 else 1 for c in text)
    fill = " " * max(width - used, 0)
    return fill + text if right else text + fill


def _print_table(lists: Sequence[ListStatus], lang: str = "en") -> None:
    h = _HEADINGS[lang]
    print(
        f"{_pad(h[0], 6)}{_pad(h[1], 5, True)} {_pad(h[2], 10)} {_pad(h[3], 10)} "
        f"{_pad(h[4], 5, True)} {_pad(h[5], 10)} {h[6]}"
    )
    for ls in lists:
        s = ls.row
        state = _STATE[lang][ls.freshness.value]
        error = s.last_error_ja if lang == "ja" and s.last_error_ja else s.last_error
        if error:
            state += _TEXT[lang]["last-error"].format(error=error)
        seq = "-" if s.sequence is None else str(s.sequence)
        print(
            f"{s.key:<5} {seq:>5} {_day(s.issued):<10} {_day(s.next_update):<10} "
            f"{s.service_count:>5} {_day(s.last_success):<10} {state}"
        )


def _jp_part(status: TrustStatus) -> ListStatus:
    """The Japanese row; a list that could not be opened is the command's error."""
    if status.jp is None:
        assert status.jp_error is not None  # (the Japanese side was asked)
        raise status.jp_error
    return status.jp


def _print_jp(row: ListStatus, lang: str = "en") -> None:
    print()
    print(_TEXT[lang]["jp-heading"])
    _print_table([row], lang)


def _message(exc: Any, lang: str) -> str:
    """An error's sentence in ``lang`` (a core error knows its Japanese)."""
    text = getattr(exc, "text", None)
    return str(text(lang)) if callable(text) else str(exc)


def _errors_json(errors: Sequence[tuple[str, Any]], lang: str) -> list[dict[str, str]]:
    return [{"list": key, "error": exc.code, "message": _message(exc, lang)} for key, exc in errors]


def _status(args: argparse.Namespace) -> int:
    lang = message_lang(args)
    status = api.trust_status(_eu_config(args), _jp_config(args))
    jp_row = _jp_part(status)
    if args.json:
        print(json.dumps({"ok": True, **status.to_json()}, indent=2))
    else:
        _print_table(status.eu, lang)
        _print_jp(jp_row, lang)
    return 0


def _update(args: argparse.Namespace) -> int:
    lang = message_lang(args)
    jp = api.JpTrust.open(_jp_config(args))
    jp_url = args.jp_url or jp.update_url()
    if args.jp_only and not jp_url:
        print(ERROR_TAG[lang] + _TEXT[lang]["jp-only"], file=sys.stderr)
        return 2
    trust = None if args.jp_only else api.EuTrust.open(_eu_config(args))
    report = trust.update(args.territory) if trust is not None else api.UpdateReport()
    jp_report = jp.update(jp_url) if jp_url else api.UpdateReport()
    status = api.trust_status(trust, jp)
    jp_row = _jp_part(status)
    errors = (*report.errors, *jp_report.errors)
    if args.json:
        print(
            json.dumps(
                {
                    "ok": not errors,
                    "updated": [*report.updated, *jp_report.updated],
                    "unchanged": [*report.unchanged, *jp_report.unchanged],
                    "errors": _errors_json(errors, lang),
                    **status.to_json(),
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        if status.eu:
            _print_table(status.eu, lang)
        _print_jp(jp_row, lang)
        for line in _error_lines(errors, offline=report.offline, lang=lang):
            print(ERROR_TAG[lang] + line, file=sys.stderr)
    return 0 if not errors else 1


def _error_lines(
    errors: Sequence[tuple[str, Any]], *, offline: bool = False, lang: str = "en"
) -> list[str]:
    """One line per kind of failure: thirty servers that cannot be reached
    for the same cause are one line naming the lists, not thirty."""
    text = _TEXT[lang]
    if offline and errors:
        _key, exc = errors[0]
        return [text["offline"].format(error=_message(exc, lang))]
    groups: dict[str, list[str]] = {}
    lines: list[str] = []
    for key, exc in errors:
        cause = getattr(exc, "cause_ja" if lang == "ja" else "cause", "")
        if cause:
            groups.setdefault(cause, []).append(key)
        else:
            lines.append(text["one"].format(key=key, error=_message(exc, lang)))
    for cause, keys in groups.items():
        if len(keys) == 1:
            (key,) = keys
            exc = next(e for k, e in errors if k == key)
            lines.append(text["one"].format(key=key, error=_message(exc, lang)))
        else:
            joined = "、".join(keys) if lang == "ja" else ", ".join(keys)
            lines.append(text["grouped"].format(keys=joined, cause=cause))
    return lines


def _report_json(report: Any, status: TrustStatus, lang: str = "en") -> str:
    return json.dumps(
        {
            "ok": not report.errors,
            "updated": list(report.updated),
            "unchanged": list(report.unchanged),
            "errors": _errors_json(report.errors, lang),
            "lists": status.to_json()["lists"],
        },
        indent=2,
        ensure_ascii=False,
    )


def _import(args: argparse.Namespace) -> int:
    lang = message_lang(args)
    # (a source that cannot be read at all is a TrustListError: the command's
    # own error line, in the language asked, from main.run)
    trust = api.EuTrust.open(_eu_config(args))
    report = api.import_lists(trust, args.source)
    api.forget_environments()
    status = api.trust_status(trust, None)
    if args.json:
        print(_report_json(report, status, lang))
    else:
        _print_table(status.eu, lang)
        if report.updated:
            sep = "、" if lang == "ja" else ", "
            print(_TEXT[lang]["imported"].format(keys=sep.join(report.updated)))
        for key, problem in report.errors:
            line = _TEXT[lang]["one"].format(key=key, error=_message(problem, lang))
            print(ERROR_TAG[lang] + line, file=sys.stderr)
    return 0 if not report.errors else 1
