#!/usr/bin/env python3
"""Refresh the EU trusted-list snapshot bundled with Shomei (resources/trust/eu).

The source is the LOTL's URL (the lists are downloaded as ``shomei trust
update`` does, optionally from a mirror) or a folder or zip archive of
LOTL/TL XML files (as ``shomei trust import`` reads them). Either way every
list is verified by the code that verifies downloads: the LOTL against the
pinned signers in ``OUT/lotl-signers.pem``, each national list against the
certificates the LOTL names for it. Lists that fail are left out and listed
on stderr; without a verified LOTL nothing is written. The new folder is
built aside and replaces the old one only when complete; README.md, NOTICE
and lotl-signers.pem stay. It also writes ``index/``, which is not committed
(packaging/build_eu_index.py rebuilds it from the committed lists).

Usage::

    python packaging/refresh_eu_snapshot.py https://ec.europa.eu/tools/lotl/eu-lotl.xml
    python packaging/refresh_eu_snapshot.py /path/to/mirror-folder [--out resources/trust/eu]

Exit status: 0 all lists verified, 1 some were left out, 2 nothing written.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from signing.errors import TrustListError  # noqa: E402
from signing.trust.eu import LOTL_KEY, EuTrust, EuTrustConfig, load_pem_certs  # noqa: E402
from signing.trust.tl_import import import_lists  # noqa: E402
from signing.trust.tl_snapshot import export_snapshot  # noqa: E402

KEEP = ("README.md", "NOTICE", "lotl-signers.pem")


def refresh(source: str, out: Path, *, tl_mirror: str | None = None) -> int:
    signers_pem = out / "lotl-signers.pem"
    if not signers_pem.is_file():
        print(f"refresh: {signers_pem} (the pinned LOTL signers) is missing", file=sys.stderr)
        return 2
    signers = load_pem_certs(signers_pem.read_bytes())
    with tempfile.TemporaryDirectory(prefix="shomei-snapshot-") as tmp:
        config = EuTrustConfig(
            cache_dir=Path(tmp), lotl_signers=signers, snapshot_dir=None, tl_mirror=tl_mirror
        )
        if source.startswith(("http://", "https://")):
            config = replace(config, lotl_url=source)
            trust = EuTrust.open(config)
            report = trust.update()
        else:
            trust = EuTrust.open(config)
            try:
                report = import_lists(trust, Path(source))
            except TrustListError as exc:
                print(f"refresh: {exc}", file=sys.stderr)
                return 2
        for key, exc in report.errors:
            print(f"refresh: left out {key}: {exc}", file=sys.stderr)
        if trust.list_state(LOTL_KEY) is None or not trust.store.states()[LOTL_KEY].has_list:
            print("refresh: no verified LOTL: nothing written", file=sys.stderr)
            return 2
        keys = export_snapshot(trust.store, out, keep=KEEP)
    print(f"wrote {len(keys)} lists to {out}: {', '.join(keys)}")
    return 1 if report.errors else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", help="the LOTL's URL, or a folder or zip archive of lists")
    ap.add_argument(
        "--out", type=Path, default=ROOT / "resources" / "trust" / "eu", help="snapshot folder"
    )
    ap.add_argument("--tl-mirror", metavar="BASE", help="national lists from this mirror")
    args = ap.parse_args(argv)
    return refresh(args.source, args.out, tl_mirror=args.tl_mirror)


if __name__ == "__main__":
    sys.exit(main())
