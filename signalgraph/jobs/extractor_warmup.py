"""Imported by the extractor pool's fork server (`extractor_pool.PRELOAD`), never by the worker itself:
the local extractor loaded and run once there, so that every process forked from the server, a pool's
first ones and those that replace a broken pool alike, starts with the rules compiled and the model
loaded."""

from __future__ import annotations

from ..processing.extract.local import extract
from .extractor_pool import WARM_UP

extract(WARM_UP)
