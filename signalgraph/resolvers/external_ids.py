"""A client's own id for a row (`externalId`), unique per workspace: accounts and products have one.

Given, it is not blank; one another row of the workspace holds is refused (CONFLICT naming externalId),
and so is one a concurrent write took between the check and the write (the unique index refuses it:
the declaration's `conflict`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import Conflict
from ..storage.repositories.base import Repository
from . import common
from .request_context import Write

MAX_LENGTH = 500


@dataclass(frozen=True)
class ExternalId:
    repository: Repository[Any]
    noun: str  # "account": "An account with externalId … already exists"

    def clean(self, values: dict[str, Any], creating: bool) -> None:
        if values.get("external_id") is not None:
            common.text(values["external_id"], "externalId", max_length=MAX_LENGTH)

    async def check_free(self, w: Write, row: Any, values: dict[str, Any], creating: bool) -> None:
        wanted = values.get("external_id")
        model = self.repository.model
        if wanted is not None and await self.repository.first(
            w.session, w.workspace_id, model.external_id == wanted, exclude_id=row.id
        ):
            raise self.taken(row, wanted)

    def taken(self, row: Any, external_id: str | None = None) -> Conflict:
        value = external_id if external_id is not None else row.external_id
        a = "an" if self.noun[0] in "aeiou" else "a"
        return Conflict(f"{a.title()} {self.noun} with externalId {value!r} already exists", field="externalId")
