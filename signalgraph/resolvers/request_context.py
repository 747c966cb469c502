"""The typed per-request context: who is calling, the database, the loaders and the job queue.

The GraphQL view and the REST layer both build it with `build_context`; resolvers only read it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from .. import logs
from ..auth import Principal, authenticate
from ..errors import Forbidden, RateLimited, Unauthenticated
from ..scopes import Scope
from ..services import Services
from ..settings import Settings
from ..storage.engine import Database, SharedReads
from .loaders import Loaders

if TYPE_CHECKING:
    from ..jobs.queue import JobQueue, JobRef


@dataclass
class Write:
    """One write's unit of work: its session (one transaction) and the jobs to enqueue once it commits."""

    session: AsyncSession
    workspace_id: str
    jobs: list[JobRef] = field(default_factory=list)

    def enqueue(self, job: JobRef) -> None:
        """Queue `job` after the commit (jobs take ids, and must find what this transaction wrote)."""
        self.jobs.append(job)


@dataclass
class Context:
    services: Services
    principal: Principal | None
    auth_error: str | None = None
    # The query's cost (schema/query_cost.py), set before it runs; None outside GraphQL.
    query_cost: int | None = None
    _loaders: Loaders | None = field(default=None, repr=False)
    _reads: SharedReads | None = field(default=None, repr=False)

    @property
    def db(self) -> Database:
        return self.services.db

    @property
    def queue(self) -> JobQueue:
        return self.services.queue

    @property
    def settings(self) -> Settings:
        return self.services.settings

    async def charge_rate_limit(self, units: int = 1) -> None:
        """Take `units` requests from the caller's bucket (ratelimit.py); RateLimited when it is empty. The
        answer goes on the request for the RateLimit-* headers."""
        if self.principal is None:
            return
        allowance = await self.services.limiter.charge(self.principal.key_prefix, units)
        if allowance is None:
            return
        info = logs.current_request()
        if info is not None:
            info.allowance = allowance
        if allowance.retry_after is not None:
            raise RateLimited(allowance.message(), retry_after=allowance.retry_after)

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
            self._loaders = Loaders(self.read, self.workspace_id)
        return self._loaders

    def read(self) -> AbstractAsyncContextManager[AsyncSession]:
        """The request's read session: every read of the request (lists, loader batches) on one connection,
        taking turns (Database.shared_reads). `end()` releases it."""
        if self._reads is None:
            self._reads = self.db.shared_reads()
        return self._reads.session()

    async def end(self) -> None:
        """The request is over, or a write committed: release the read session (the next read opens one)."""
        if self._reads is not None:
            await self._reads.end()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[Write]:
        """A write: one transaction, committed when the block ends; then later reads in this request see it
        (the loaders are rebuilt) and the jobs it asked for are enqueued. Nothing happens if it raises."""
        async with self.db.write() as session:
            unit = Write(session, self.workspace_id)
            yield unit
        self.invalidate_loaders()
        await self.end()
        for job in unit.jobs:
            await self.queue.enqueue(job)

    def invalidate_loaders(self) -> None:
        """After a write: later reads in the same request must not see cached rows from before it."""
        self._loaders = None


async def build_context(services: Services, authorization: str | None) -> Context:
    principal, error = await authenticate(services.db, authorization, services.key_usage, services.keys)
    return Context(services=services, principal=principal, auth_error=error)
