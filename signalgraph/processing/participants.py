"""The people and companies a signal's evidence names, matched to contacts and accounts, or created.

`participantPolicy`: "none" leaves contacts and accounts alone; "link" links the accounts of matching
contacts (by e-mail, then name) and matching accounts (by domain or website, then name); "create" also
creates a contact for a person no contact matches, under their company's account (or the signal's
first account). `createMissingAccounts` creates an account for a company no account matches. Running
it again finds what the first run created, so it never duplicates.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from ..storage.models import Account, Contact
from ..storage.repositories import signal_runs as runs_repo
from .extract.base import Company, Extraction, Person
from .extract.parties import registrable_domain

NAME_MAX = 500


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname
    return registrable_domain(host) if host else None


def _same_company(account: Account, name: str | None, domain: str | None) -> bool:
    if domain and domain in {_host(account.domain), _host(account.website)}:
        return True
    return bool(name) and account.name.strip().lower() == (name or "").strip().lower()


def _same_person(contact: Contact, person: Person) -> bool:
    if person.email and contact.email:
        return contact.email.lower() == person.email.lower()
    return bool(person.name) and contact.name.strip().lower() == (person.name or "").strip().lower()


async def resolve_participants(
    session: AsyncSession,
    workspace_id: str,
    extraction: Extraction,
    *,
    policy: str,
    create_missing_accounts: bool,
    fallback_account_id: str | None,
) -> list[str]:
    """The ids of the accounts the evidence names, matched or created, in order of mention."""
    if policy == "none":
        return []
    companies: list[Company] = list(extraction.companies)
    accounts = await runs_repo.accounts_named(
        session, workspace_id, [c.domain for c in companies], [c.name for c in companies]
    )
    account_ids: list[str] = []
    for company in companies:
        account = next((a for a in accounts if _same_company(a, company.name, company.domain)), None)
        if account is None and create_missing_accounts:
            account = Account(workspace_id=workspace_id, name=company.name[:NAME_MAX], domain=company.domain)
            session.add(account)
            accounts.append(account)
        if account is not None:
            account_ids.append(account.id)

    people = list(extraction.people)
    contacts = await runs_repo.contacts_named(
        session, workspace_id, [p.email for p in people], [p.name for p in people]
    )
    for person in people:
        contact = next((c for c in contacts if _same_person(c, person)), None)
        if contact is None and policy == "create":
            company = next(
                (a for a in accounts if _same_company(a, person.company_name, person.company_domain)), None
            )
            account_id = company.id if company is not None else fallback_account_id
            if account_id is None:
                continue
            contact = Contact(
                workspace_id=workspace_id,
                account_id=account_id,
                name=(person.name or person.email or "")[:NAME_MAX],
                email=person.email,
                role=person.role[:255] if person.role else None,
            )
            session.add(contact)
            contacts.append(contact)
        if contact is not None:
            account_ids.append(contact.account_id)
    await session.flush()
    return list(dict.fromkeys(account_ids))
