"""Types every domain shares."""

from __future__ import annotations

import strawberry


@strawberry.type
class DeleteResult:
    id: strawberry.ID
    message: str = "Deleted"
