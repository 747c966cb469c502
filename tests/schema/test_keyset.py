"""Keyset cursors on the root lists, through the real server: a cursor is a row's place in the sort
order, so rows inserted or deleted between pages neither repeat nor skip rows; first/after and
last/before both work; offset is refused with a cursor; orderBy sorts by an indexed column."""

from __future__ import annotations

import base64
import json
import random
from datetime import timedelta

from sqlalchemy import delete

from signalgraph.storage.models import Signal
from signalgraph.storage.models.base import utcnow

SIGNALS = """
query($first: Int, $after: String, $last: Int, $before: String, $offset: Int, $orderBy: SignalOrder) {
  signals(first: $first, after: $after, last: $last, before: $before, offset: $offset, orderBy: $orderBy) {
    totalCount nodes { id name } edges { cursor }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


def cursor_of(key: list) -> str:
    return base64.urlsafe_b64encode(b"k:" + json.dumps(key).encode()).decode()


async def add_signals(services, workspace_id: str, count: int, start: int, prefix: str) -> list[str]:
    """`count` signals a second apart, the newest just now (numbered from `start`); their ids, newest last."""
    now = utcnow()
    async with services.db.write() as session:
        made = [
            Signal(workspace_id=workspace_id, public_number=start + n, name=f"{prefix}{n}",
                   created_at=now - timedelta(seconds=count - n), updated_at=now - timedelta(seconds=n))
            for n in range(count)
        ]
        session.add_all(made)
    return [s.id for s in made]


async def test_paging_while_rows_arrive_and_go_yields_every_surviving_row_once(http_api, services):
    old = await add_signals(services, http_api.workspace_id, 200, 1, "old")
    gone: set[str] = set()
    seen: list[str] = []
    rng = random.Random(7)
    after, number = None, 201
    while True:
        page = (await http_api.ok(SIGNALS, {"first": 50, "after": after}))["signals"]
        seen += [n["id"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
        await add_signals(services, http_api.workspace_id, 50, number, "new")
        number += 50
        doomed = rng.sample([i for i in old if i not in gone], 20)
        gone |= set(doomed)
        async with services.db.write() as session:
            await session.execute(delete(Signal).where(Signal.id.in_(doomed)))

    old_seen = [i for i in seen if i in set(old)]
    assert len(old_seen) == len(set(old_seen)), "a row came twice"
    assert set(old) - gone <= set(old_seen), "a surviving row was skipped"
    assert set(seen) <= set(old), "rows newer than the first page sort before the cursor"


async def test_last_and_before_page_backwards_to_the_same_rows(http_api, services):
    await add_signals(services, http_api.workspace_id, 25, 1, "s")
    forward = (await http_api.ok(SIGNALS, {"first": 100}))["signals"]["nodes"]

    back, before = [], None
    while True:
        page = (await http_api.ok(SIGNALS, {"last": 10, "before": before}))["signals"]
        back = page["nodes"] + back
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert back == forward and len(back) == 25

    end = (await http_api.ok(SIGNALS, {"last": 3}))["signals"]
    assert end["nodes"] == forward[-3:] and not end["pageInfo"]["hasNextPage"]
    middle = (await http_api.ok(SIGNALS, {"first": 2, "after": end["edges"][0]["cursor"]}))["signals"]
    assert middle["nodes"] == forward[-2:]


async def test_order_by_an_indexed_column_either_way(http_api, services):
    ids = await add_signals(services, http_api.workspace_id, 5, 1, "s")  # updated_at runs backwards
    by_updated = {"field": "UPDATED_AT", "direction": "ASC"}
    page = (await http_api.ok(SIGNALS, {"first": 2, "orderBy": by_updated}))["signals"]
    rest = (await http_api.ok(SIGNALS, {"first": 10, "after": page["pageInfo"]["endCursor"], "orderBy": by_updated}))
    assert [n["id"] for n in page["nodes"] + rest["signals"]["nodes"]] == ids[::-1]
    oldest = (await http_api.ok(SIGNALS, {"first": 5, "orderBy": {"field": "CREATED_AT", "direction": "ASC"}}))
    assert [n["id"] for n in oldest["signals"]["nodes"]] == ids


async def test_offset_stays_and_is_refused_with_a_cursor(http_api, services):
    await add_signals(services, http_api.workspace_id, 5, 1, "s")
    all_five = (await http_api.ok(SIGNALS, {"first": 5}))["signals"]
    by_offset = (await http_api.ok(SIGNALS, {"first": 2, "offset": 3}))["signals"]
    assert by_offset["nodes"] == all_five["nodes"][3:] and by_offset["pageInfo"]["hasPreviousPage"]
    cursor = all_five["pageInfo"]["endCursor"]
    for variables, named in [
        ({"offset": 1, "after": cursor}, "after"),
        ({"offset": 1, "before": cursor}, "before"),
        ({"first": 1, "last": 1}, "last"),
        ({"last": 101}, "last"),
        ({"after": "bm90IGEgY3Vyc29y"}, "after"),
        ({"before": "azpbMV0="}, "before"),  # a sort key of the wrong shape
        ({"after": cursor_of(["2026-01-01T00:00:00+00:00", 2**40])}, "after"),  # past the number column
    ]:
        error = await http_api.error(SIGNALS, variables)
        assert error["extensions"]["code"] == "BAD_USER_INPUT" and named in error["message"], (variables, error)
