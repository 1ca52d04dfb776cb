#!/usr/bin/env python3
"""Build the parsed indexes of the bundled EU trusted lists
(resources/trust/eu/index/KEY.json) from the committed lists.

The indexes are derived data and never committed; with them the first start
copies the snapshot into the cache in a fraction of a second instead of
verifying every list again. Each list goes through the seeding's own slow
path (the code that verifies downloads: the LOTL against the pinned signers
in ``lotl-signers.pem``, each national list against the certificates the
LOTL names for it); an index is written, atomically, only for a list that
verifies and whose SHA-256 is the one ``snapshot.json`` names. Lists whose
index is already current are skipped, so a re-run costs well under a second.
Run by packaging/setup.sh and packaging/build_bundle.sh.

Usage::

    python packaging/build_eu_index.py [--snapshot resources/trust/eu] [--force]

Exit status: 0 every list has its index, 1 some lists were refused (no
index for them), 2 no readable snapshot.json.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from signing.trust.snapshot_build import build_indexes  # noqa: E402
from signing.trust.tl_snapshot import MANIFEST  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--snapshot",
        type=Path,
        default=ROOT / "resources" / "trust" / "eu",
        help="snapshot folder (default: resources/trust/eu)",
    )
    ap.add_argument("--force", action="store_true", help="rebuild current indexes too")
    args = ap.parse_args(argv)
    # the seeding logs why a list is refused; the parser's notes stay quiet
    logging.basicConfig(level=logging.ERROR, format="build_eu_index: %(message)s")
    result = build_indexes(args.snapshot, force=args.force)
    for key, why in result.refused:
        print(f"build_eu_index: no index for {key}: {why}", file=sys.stderr)
    if any(key == MANIFEST for key, _ in result.refused):
        return 2
    print(
        f"EU trusted-list index in {args.snapshot / 'index'}: {len(result.built)} built, "
        f"{len(result.current)} current, {len(result.refused)} refused"
        + (f", {len(result.removed)} stale removed" if result.removed else "")
    )
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
