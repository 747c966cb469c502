"""The typed per-request context: who is calling, the database, the loaders and the job queue.

The GraphQL view and the REST layer both build it with `build_context`; resolvers only read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..auth import Principal, authenticate
from ..errors import Forbidden, Unauthenticated
from ..scopes import Scope
from ..services import Services
from ..settings import Settings
from ..storage.engine import Database
from .loaders import Loaders

if TYPE_CHECKING:
    from ..jobs.queue import JobQueue


@dataclass
class Context:
    services: Services
    principal: Principal | None
    auth_error: str | None = None
    # The query's cost (schema/query_cost.py), set before it runs; None outside GraphQL.
    query_cost: int | None = None
    _loaders: Loaders | None = field(default=None, repr=False)

    @property
    def db(self) -> Database:
        return self.services.db

    @property
    def queue(self) -> JobQueue:
        return self.services.queue

    @property
    def settings(self) -> Settings:
        return self.services.settings

    def require(self, scope: Scope | None = None) -> Principal:
        """The caller, checked for `scope`: UNAUTHENTICATED without a valid key, FORBIDDEN without the scope."""
        if self.principal is None:
            raise Unauthenticated(self.auth_error or "Missing API key")
        if scope is not None and not self.principal.has(scope):
            raise Forbidden(f"Missing scope: {scope.value}")
        return self.principal

    @property
    def workspace_id(self) -> str:
        return self.require().workspace_id

    @property
    def loaders(self) -> Loaders:
        if self._loaders is None:
            self._loaders = Loaders(self.db, self.workspace_id)
        return self._loaders

    def invalidate_loaders(self) -> None:
        """After a write: later reads in the same request must not see cached rows from before it."""
        self._loaders = None


async def build_context(services: Services, authorization: str | None) -> Context:
    principal, error = await authenticate(services.db, authorization, services.key_usage)
    return Context(services=services, principal=principal, auth_error=error)
