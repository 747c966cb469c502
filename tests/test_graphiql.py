"""GraphiQL as a person meets it: the page renders from Signalgraph's own assets in headless Chromium with
every other host unreachable, under its Content-Security-Policy, and runs a query with the key typed into
the header editor. The screenshot is kept under .pytest_cache/graphiql.png for a look."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from signalgraph import graphiql
from tests.conftest import REQUIRE_SERVICES

pytestmark = pytest.mark.processes  # started first: see pytest_collection_modifyitems

SCREENSHOT = Path(__file__).resolve().parent.parent / ".pytest_cache" / "graphiql.png"
CHROMIUM = os.environ.get("SIGNALGRAPH_TEST_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
# Name resolution fails for every host but loopback, so nothing can come from a CDN.
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"


@pytest.fixture
async def browser_page():
    if CHROMIUM is None:
        message = "Chromium is not installed (apt-get install chromium; .ci/run does it)"
        if REQUIRE_SERVICES:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", OFFLINE])
        try:
            yield await browser.new_page(viewport={"width": 1400, "height": 900})
        finally:
            await browser.close()


async def test_graphiql_renders_offline_and_runs_a_query_with_the_key_from_the_header_editor(
    browser_page, server, api
):
    page = browser_page
    foreign, problems = [], []
    page.on("request", lambda r: urlsplit(r.url).hostname != "127.0.0.1" and foreign.append(r.url))
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))

    response = await page.goto(f"{server.base_url}/graphql")
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    run = page.locator(".graphiql-execute-button")
    await run.wait_for(timeout=30_000)

    headers = page.locator(".graphiql-editor-tool .graphiql-editor").last
    assert '"Authorization": "Bearer "' in await headers.inner_text()
    await headers.click()
    await page.keyboard.press("Control+A")
    await page.keyboard.insert_text(f'{{"Authorization": "Bearer {api.key}"}}')
    await run.click()

    result = page.locator(".result-window")
    await result.get_by_text(api.workspace_id).wait_for(timeout=30_000)
    text = await result.inner_text()
    assert f'"name": "{api.workspace}"' in text and '"scopes"' in text
    SCREENSHOT.parent.mkdir(exist_ok=True)
    await page.screenshot(path=str(SCREENSHOT))
    assert foreign == [] and problems == []


async def test_graphiql_stores_no_headers_in_the_browser(browser_page, server, api):
    page = browser_page
    await page.goto(f"{server.base_url}/graphql")
    await page.locator(".graphiql-execute-button").wait_for(timeout=30_000)
    headers = page.locator(".graphiql-editor-tool .graphiql-editor").last
    await headers.click()
    await page.keyboard.press("Control+A")
    await page.keyboard.insert_text(f'{{"Authorization": "Bearer {api.key}"}}')
    await page.locator(".graphiql-execute-button").click()
    await page.locator(".result-window").get_by_text(api.workspace_id).wait_for(timeout=30_000)
    stored = await page.evaluate("() => JSON.stringify(Object.assign({}, window.localStorage))")
    assert api.key not in stored


async def test_every_vendored_asset_is_served_with_the_hash_the_page_pins(http):
    page = (await http.get("/graphql", headers={"Accept": "text/html"})).text
    for package in graphiql.manifest().values():
        for name, integrity in package["files"].items():
            assert f'src="{graphiql.STATIC_PATH}/{name}" integrity="{integrity}"' in page or (
                f'href="{graphiql.STATIC_PATH}/{name}" integrity="{integrity}"' in page
            )
            served = await http.get(f"{graphiql.STATIC_PATH}/{name}")
            assert served.status_code == 200 and graphiql.sri(served.content) == integrity


async def test_the_page_loads_nothing_from_another_origin(http):
    page = (await http.get("/graphql", headers={"Accept": "text/html"})).text
    assert "http://" not in page and "https://" not in page
