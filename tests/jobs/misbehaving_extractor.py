"""An extraction for the ExtractorPool tests (tests/jobs/test_extractor_pool.py), run in the pool's
processes. It imports only what the pool's processes have loaded already (the local extractor), so that
a new process answers as fast as the real one does."""

from __future__ import annotations

import os
import time
from pathlib import Path

from signalgraph.processing.extract.base import Extraction, ExtractionRequest
from signalgraph.processing.extract.local import extract

HANG_SECONDS = 60


def extract_or_misbehave(request: ExtractionRequest) -> Extraction:
    """The local extractor, run by an ExtractorPool's processes, except for texts that start with an order:
    `DIE` ends the process, `HANG` never answers, `DIE ONCE <path>` ends it unless <path> exists (and
    creates it, so that the next try succeeds)."""
    first = request.text.split("\n", 1)[0]
    if first == "DIE":
        os._exit(3)
    if first == "HANG":
        time.sleep(HANG_SECONDS)
    if first.startswith("DIE ONCE "):
        marker = Path(first.removeprefix("DIE ONCE "))
        if not marker.exists():
            marker.touch()
            os._exit(3)
    return extract(request)
