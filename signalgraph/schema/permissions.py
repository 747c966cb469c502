"""Scope checks, declared on fields: `permission_classes=[HasScope(Scope.SIGNALS_READ)]`."""

from __future__ import annotations

from functools import cache
from typing import Any

from strawberry.permission import BasePermission
from strawberry.types import Info

from ..scopes import Scope


@cache
def HasScope(scope: Scope) -> type[BasePermission]:
    """A permission class requiring `scope`; raises UNAUTHENTICATED or FORBIDDEN (naming the scope)."""

    def has_permission(self: BasePermission, source: Any, info: Info, **kwargs: Any) -> bool:
        info.context.require(scope)
        return True

    namespace = {"has_permission": has_permission, "message": "", "scope": scope}
    return type(f"HasScope_{scope.name}", (BasePermission,), namespace)
