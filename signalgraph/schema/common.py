"""Types every domain shares."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DeleteResult:
    """What a delete mutation's resolver returns; payloads.py makes it `Delete<Thing>Payload`."""

    id: str
    message: str = "Deleted"
