"""Types every domain shares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import strawberry
from sqlmodel import SQLModel

from ..storage.repositories.rows import ReadRow


@dataclass(frozen=True)
class DeleteResult:
    """What a delete mutation's resolver returns; payloads.py makes it `Delete<Thing>Payload`."""

    id: str
    message: str = "Deleted"


@strawberry.interface(
    description="An object with an id that `node(id:)` and `nodes(ids:)` resolve: every object type with an id."
)
class Node:
    id: strawberry.ID = strawberry.field(description="The object's id: the REST id, resolvable through `node`.")

    @classmethod
    def resolve_type(cls, obj: Any, info: Any, type_: Any) -> str:
        """A row's type is its model's name (`Insight` row → `Insight`); a Strawberry object names its own."""
        definition = getattr(obj, "__strawberry_definition__", None)
        return definition.name if definition is not None else type(obj).__name__

    @classmethod
    def is_type_of(cls, obj: Any, info: Any) -> bool:
        """Inherited by every node type: rows (read rows and ORM instances) are of the type named like their
        model, other values as given. Called for every object of every page: `issubclass` on the type,
        cached, as pydantic's metaclass makes `isinstance(obj, SQLModel)` slow."""
        kind = type(obj)
        is_row = _IS_ROW.get(kind)
        if is_row is None:
            is_row = _IS_ROW[kind] = issubclass(kind, (ReadRow, SQLModel))
        return not is_row or kind.__name__ == cls.__strawberry_definition__.name  # type: ignore[attr-defined]


_IS_ROW: dict[type, bool] = {}
