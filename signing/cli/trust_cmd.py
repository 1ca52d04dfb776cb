"""``shomei trust status|update``: the EU trusted lists in the cache.

Both print one line per list (the LOTL first, then each territory) or, with
``--json``, an object the GUI and scripts can read. ``update`` downloads,
verifies and stores; a list that fails keeps its last good copy, is reported,
and makes the exit code 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any


def register(sub: argparse._SubParsersAction[Any]) -> None:
    trust = sub.add_parser("trust", help="EU trusted lists: status and update")
    tsub = trust.add_subparsers(dest="trust_command", metavar="ACTION")
    for name, helptext in (
        ("status", "show the cached lists (no network)"),
        ("update", "download, verify and store the lists"),
    ):
        p = tsub.add_parser(name, help=helptext)
        p.add_argument("--json", action="store_true", help="machine-readable output")
        p.add_argument("--cache-dir", type=Path, help="trusted-list cache folder")
        p.add_argument("--lotl-url", help="where to download the LOTL")
        p.add_argument(
            "--lotl-signers", type=Path, help="PEM file with the pinned LOTL signer certificates"
        )
        p.add_argument("--proxy", help="HTTP(S) proxy URL (default: environment)")
        p.add_argument(
            "--no-snapshot", action="store_true", help="do not seed from the bundled snapshot"
        )
        if name == "update":
            p.add_argument(
                "--territory",
                action="append",
                metavar="CC",
                help="only this territory (repeatable); the LOTL is always refreshed",
            )
        p.set_defaults(func=_status if name == "status" else _update)
    trust.set_defaults(func=lambda args: (trust.print_help(), 2)[1])


def _open(args: argparse.Namespace) -> Any:
    from ..trust.eu import EuTrust, EuTrustConfig, load_pem_certs

    config = EuTrustConfig()
    if args.cache_dir:
        config = replace(config, cache_dir=args.cache_dir)
    if args.lotl_url:
        config = replace(config, lotl_url=args.lotl_url)
    if args.lotl_signers:
        config = replace(config, lotl_signers=load_pem_certs(args.lotl_signers.read_bytes()))
    if args.proxy:
        config = replace(config, fetch=replace(config.fetch, proxy=args.proxy))
    if args.no_snapshot:
        config = replace(config, snapshot_dir=None)
    return EuTrust.open(config)


def _day(d: datetime | None) -> str:
    return d.strftime("%Y-%m-%d") if d else "-"


def _print_table(statuses: Any) -> None:
    print(f"{'list':<5} {'seq':>5} {'issued':<10} {'next':<10} {'svcs':>5} {'fetched':<10} state")
    for s in statuses:
        state = "stale" if s.stale else ("ok" if s.sequence is not None else "missing")
        if s.last_error:
            state += f"; last error: {s.last_error}"
        seq = "-" if s.sequence is None else str(s.sequence)
        print(
            f"{s.key:<5} {seq:>5} {_day(s.issued):<10} {_day(s.next_update):<10} "
            f"{s.service_count:>5} {_day(s.last_success):<10} {state}"
        )


def _status(args: argparse.Namespace) -> int:
    trust = _open(args)
    statuses = trust.status()
    if args.json:
        print(json.dumps({"ok": True, "lists": [s.to_json() for s in statuses]}, indent=2))
    else:
        _print_table(statuses)
    return 0


def _update(args: argparse.Namespace) -> int:
    trust = _open(args)
    report = trust.update(args.territory)
    statuses = trust.status()
    if args.json:
        print(
            json.dumps(
                {
                    "ok": report.ok,
                    "updated": list(report.updated),
                    "unchanged": list(report.unchanged),
                    "errors": [
                        {"list": key, "error": exc.code, "message": str(exc)}
                        for key, exc in report.errors
                    ],
                    "lists": [s.to_json() for s in statuses],
                },
                indent=2,
            )
        )
    else:
        _print_table(statuses)
        for key, exc in report.errors:
            print(f"shomei: {key}: {exc}", file=sys.stderr)
    return 0 if report.ok else 1
