"""Where the reference data live: ../shared/refs when present, else the copies in tests/data/refs."""

from __future__ import annotations

import filecmp
from pathlib import Path

BUNDLED = Path(__file__).resolve().parent / "data" / "refs"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "refs"


def ref_path(relative: str) -> Path:
    """Path of a reference file, e.g. ``ref_path("sbml/BIOMD0000000379_DallaMan2007.xml")``."""
    bundled = BUNDLED / relative
    shared = SHARED / relative
    if shared.exists():
        if bundled.exists() and not filecmp.cmp(shared, bundled, shallow=False):
            raise AssertionError(f"tests/data/refs/{relative} differs from ../shared/refs/{relative}: refresh the copy")
        return shared
    return bundled
