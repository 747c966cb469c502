"""openapi.json against the real server, through Schemathesis: every check, a bounded run, no failure.

A `signalgraph serve` process on the test's database answers a derandomised Schemathesis run (examples and
fuzzing phases, a few cases per operation, generated strings and lists kept short) of every operation. The
path ids are real rows seeded first, so that generated requests reach the validation and not only the
404; each DELETE gets rows of its own, so that it removes nothing the other operations use. Warnings that mean the document and the server disagree (a mismatch
between what is documented and what is validated, operations whose valid data is mostly refused, data
that never reaches the operation) fail the run like failures do.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.serving import serve_process, wait_until_ready

pytestmark = pytest.mark.processes  # started first: see pytest_collection_modifyitems

# A bounded run, part of `make test`: a few cases per operation, derandomised (the same cases every run),
# strings and lists kept short (schemathesis_hooks.before_load_schema): about 15 s of Schemathesis per database.
MAX_EXAMPLES = 2
# The coverage phase (every boundary of every field: strings of 100,000 and 5,000,000 characters) takes
# many minutes here; the fuzzing phase keeps the run short.
PHASES = "examples,fuzzing"
BOUND_SECONDS = 240  # a bound on waiting for a run that hangs, not a timed assertion
# The warnings that mean the document does not describe the server, or that the run did not test it.
FAILING_WARNINGS = ("missing_test_data", "validation_mismatch", "low_valid_rate")
V1 = "/external/v1"
HOOKS = "tests.rest_compat.schemathesis_hooks"
ROOT = Path(__file__).parents[2]


class Seeder:
    """Rows for the run to address, made through the REST API itself."""

    def __init__(self, http: httpx.Client):
        self.http = http

    def create(self, path: str, body: dict) -> dict:
        response = self.http.post(V1 + path, json=body)
        assert response.status_code == 201, (path, response.text)
        return response.json()

    def signal(self) -> str:
        body = {"text": "Exports time out on large workspaces.", "signalType": "support_ticket"}
        return self.create("/signals", body)["publicId"]

    def account(self) -> str:
        return self.create("/accounts", {"name": "Acme"})["id"]

    def contact(self, account: str) -> str:
        return self.create(f"/accounts/{account}/contacts", {"name": "Ada"})["id"]

    def product(self) -> str:
        return self.create("/products", {"name": "Analytics", "description": "Dashboards for teams."})["id"]

    def feature(self, product: str) -> str:
        return self.create(f"/products/{product}/features", {"name": "Export", "description": "CSV."})["id"]

    def persona(self, product: str) -> str:
        return self.create(f"/products/{product}/personas", {"name": "Analyst", "description": "Reads."})["id"]

    def question(self, product: str) -> str:
        """The product's analysis (a job, in-process here) asks its questions soon after the create."""
        deadline = time.monotonic() + 60
        while True:
            questions = self.http.get(f"{V1}/products/{product}/questions").json()
            if questions:
                return questions[0]["id"]
            assert time.monotonic() < deadline, "the product analysis asked no question"
            time.sleep(0.2)

    def simple(self, path: str, body: dict) -> str:
        return self.create(path, body)["id"]


def seeded_parameters(seed: Seeder) -> dict[str, dict[str, str]]:
    """Operation name → its path parameters: shared rows for reads and updates, own rows for deletes."""

    def insight() -> str:
        return seed.simple("/insights", {"description": "Exports are slow."})

    def opportunity() -> str:
        return seed.simple("/opportunities", {"name": "Faster exports", "description": "Stream them."})

    def idea() -> str:
        return seed.simple("/ideas", {"name": "Background export", "description": "Email a link."})

    def okr() -> str:
        return seed.simple("/okrs", {"objective": "Happier analysts", "priority": 1, "keyResults": []})

    def unit() -> str:
        return seed.simple("/context-units", {"name": "Glossary", "data": "# Terms"})

    def document() -> str:
        return seed.simple("/context-documents", {"fileName": "notes.md", "content": "# Notes"})

    signal, account, product = seed.signal(), seed.account(), seed.product()
    contact, feature, persona = seed.contact(account), seed.feature(product), seed.persona(product)
    shared = {
        "signals/{publicId}": {"publicId": signal},
        "accounts/{id}": {"id": account},
        "products/{id}": {"id": product},
        "insights/{id}": {"id": insight()},
        "opportunities/{id}": {"id": opportunity()},
        "ideas/{id}": {"id": idea()},
        "okrs/{id}": {"id": okr()},
        "context-units/{id}": {"id": unit()},
        "context-documents/{id}": {"id": document()},
    }
    names: dict[str, dict[str, str]] = {}
    for path, params in shared.items():
        for method in ("GET", "PATCH"):
            names[f"{method} {V1}/{path}"] = params
    names[f"POST {V1}/signals/{{publicId}}/process"] = shared["signals/{publicId}"]
    names[f"GET {V1}/context-documents/{{id}}/content"] = shared["context-documents/{id}"]
    names[f"GET {V1}/accounts/{{id}}/contacts"] = {"id": account}
    names[f"POST {V1}/accounts/{{id}}/contacts"] = {"id": account}
    names[f"PATCH {V1}/accounts/{{id}}/contacts/{{contactId}}"] = {"id": account, "contactId": contact}
    for sub in ("metrics", "features", "personas", "questions"):
        names[f"GET {V1}/products/{{id}}/{sub}"] = {"id": product}
    for sub in ("features", "personas"):
        names[f"POST {V1}/products/{{id}}/{sub}"] = {"id": product}
    names[f"PATCH {V1}/products/{{id}}/features/{{featureId}}"] = {"id": product, "featureId": feature}
    names[f"PATCH {V1}/products/{{id}}/personas/{{personaId}}"] = {"id": product, "personaId": persona}
    # A question of a product nothing else changes: a change to what the analysis reads (a PATCH of the
    # product, a feature or a persona) analyses it again, which deletes the questions it no longer asks.
    asked = seed.product()
    names[f"GET {V1}/products/{{id}}/questions/{{questionId}}"] = {"id": asked, "questionId": seed.question(asked)}
    # Deletes remove rows of their own (a sub-resource with its own parent).
    names[f"DELETE {V1}/signals/{{publicId}}"] = {"publicId": seed.signal()}
    for path, make in {
        "accounts": seed.account,
        "products": seed.product,
        "insights": insight,
        "opportunities": opportunity,
        "ideas": idea,
        "okrs": okr,
        "context-units": unit,
        "context-documents": document,
    }.items():
        names[f"DELETE {V1}/{path}/{{id}}"] = {"id": make()}
    other_account, other_product = seed.account(), seed.product()
    names[f"DELETE {V1}/accounts/{{id}}/contacts/{{contactId}}"] = {
        "id": other_account,
        "contactId": seed.contact(other_account),
    }
    names[f"DELETE {V1}/products/{{id}}/features/{{featureId}}"] = {
        "id": other_product,
        "featureId": seed.feature(other_product),
    }
    names[f"DELETE {V1}/products/{{id}}/personas/{{personaId}}"] = {
        "id": other_product,
        "personaId": seed.persona(other_product),
    }
    return names


def toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def config(authorization: str, parameters: dict[str, dict[str, str]]) -> str:
    warnings = ", ".join(toml_string(w) for w in FAILING_WARNINGS)
    lines = [
        f"hooks = {toml_string(HOOKS)}",
        f"headers = {{ Authorization = {toml_string(authorization)} }}",
        # U+0000 is refused in any text (documented once, in info.description, not in every pattern).
        "[generation]",
        "allow-x00 = false",
        # A body over the limit is refused with the documented 413, a rejection like a 400.
        "[checks.negative_data_rejection]",
        "expected-statuses = [400, 401, 403, 404, 405, 409, 413, 415, 422]",
        "[warnings]",
        f"display = [{warnings}]",
        f"fail-on = [{warnings}]",
    ]
    for name, params in parameters.items():
        values = ", ".join(f"{toml_string('path.' + k)} = {toml_string(v)}" for k, v in params.items())
        lines += ["[[operations]]", f"include-name = {toml_string(name)}", f"parameters = {{ {values} }}"]
    return "\n".join(lines) + "\n"


async def test_schemathesis_finds_nothing_the_document_and_the_server_disagree_on(
    database_url, api, tmp_path: Path
):
    st = shutil.which("st", path=str(Path(sys.executable).parent))
    assert st, "schemathesis is a dev dependency: pip install -e '.[dev]'"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIGNALGRAPH_")}
    env["SIGNALGRAPH_DATABASE_URL"] = database_url
    env["SIGNALGRAPH_RATE_LIMIT_PER_MINUTE"] = "0"  # the run is one key's burst of requests
    with serve_process(env) as (_, base):
        await asyncio.to_thread(wait_until_ready, base)
        with httpx.Client(base_url=base, headers=api.headers, timeout=60) as http:
            parameters = await asyncio.to_thread(seeded_parameters, Seeder(http))
        config_file = tmp_path / "schemathesis.toml"
        config_file.write_text(config(api.headers["Authorization"], parameters))
        command = [
            st, "--config-file", str(config_file), "run", f"{base}{V1}/openapi.json",
            "--checks", "all",
            "--phases", PHASES,
            "--max-examples", str(MAX_EXAMPLES),
            "--generation-deterministic",
            "--no-shrink",
            "--workers", "1",
            "--no-color",
        ]  # fmt: skip
        run = await asyncio.to_thread(
            subprocess.run,
            command,
            capture_output=True,
            text=True,
            timeout=BOUND_SECONDS,
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(ROOT)},  # the hooks module
        )
    report = run.stdout + run.stderr
    assert run.returncode == 0, report[-20000:]
