"""People and companies named in the evidence: speaker labels, self-introductions, e-mail addresses,
"Name <address>" headers and signature blocks. E-mail domains name companies, except free-mail ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from . import cues
from .base import Company, Person
from .segment import Span

EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
NAMED_EMAIL = re.compile(
    r"(?P<name>[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3})[ \t]*<[ \t]*(?P<email>[^>\s]+@[^>\s]+)[ \t]*>"
)
PERSON_NAME = re.compile(r"^[A-Z][a-zA-Z.'’-]+(?:\s+[A-Z][a-zA-Z.'’-]+){0,3}$")
COMPANY_NAME = re.compile(r"^[A-Z0-9][\w&.'’ -]{1,80}$")
PARENTHETICAL = re.compile(r"^(?P<name>.+?)\s*\((?P<inner>[^)]*)\)$")
INTRO = re.compile(r"\b(i'm|i am|this is|my name is|i work|i run|i lead|i manage|i head)\b", re.IGNORECASE)
AT_COMPANY = re.compile(r"\b(?:at|from|for)\s+(?P<company>[A-Z][\w&'’-]*(?:\s+(?:[A-Z][\w&'’-]*|&))*)")
INTRO_ROLE = re.compile(
    r"\b(?i:i'm|i am)\s+(?:the\s+|a\s+|an\s+)?(?P<role>[a-z][a-z -]{2,40}?)\s+(?:at|for|with)\s+[A-Z]"
)
ROLE_SPLIT = re.compile(r"\s*(?:,|\||\s[-–—]\s|\s+at\s+|\s+@\s+)\s*")
TIME_ONLY = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")
LEGAL_SUFFIX = re.compile(r"\b(inc|llc|ltd|gmbh|corp|co|plc|ag|sa|bv)\b\.?", re.IGNORECASE)
SIGNATURE_LINES = 4


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", LEGAL_SUFFIX.sub("", name.lower()))


def registrable_domain(domain: str) -> str:
    """mail.eu.acme.co.uk → acme.co.uk; app.acme.com → acme.com."""
    labels = domain.lower().strip(".").split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in {"co", "com", "org", "net", "ac", "gov"}:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def company_name_from_domain(domain: str) -> str:
    label = registrable_domain(domain).split(".")[0]
    return " ".join(part.capitalize() for part in re.split(r"[-_]+", label) if part)


def _is_person_label(label: str) -> bool:
    lowered = re.sub(r"\s*\d+$", "", label.lower()).strip()
    return lowered not in cues.GENERIC_LABELS and bool(PERSON_NAME.match(label))


def _role_or_company(part: str) -> tuple[str | None, str | None]:
    """A signature or label fragment: ("Head of Ops", None), (None, "Acme") or a "Role, Company" pair."""
    pieces = [p.strip() for p in ROLE_SPLIT.split(part.strip()) if p.strip()]
    if len(pieces) >= 2:
        return pieces[0], pieces[-1]
    if not pieces or TIME_ONLY.match(pieces[0]):
        return None, None
    if re.search(cues.ROLE_WORDS, pieces[0].lower()):
        return pieces[0], None
    return (None, pieces[0]) if COMPANY_NAME.match(pieces[0]) else (None, None)


def speaker_person(label: str) -> Person | None:
    """ "Dana Whitfield (Ops Lead, Acme Logistics)" → Dana Whitfield, her role and company."""
    role = company = None
    match = PARENTHETICAL.match(label)
    if match:
        label = match.group("name").strip()
        role, company = _role_or_company(match.group("inner"))
    return Person(name=label, role=role, company_name=company) if _is_person_label(label) else None


def _introductions(text: str, turns: Iterable[Span], people: dict[str, Person]) -> None:
    """Company and role from a speaker's own introduction: "I'm the ops lead at Acme Logistics"."""
    for turn in turns:
        key = _norm(turn.speaker or "")
        if key not in people:
            continue
        words = text[turn.start : turn.end]
        for sentence in re.split(r"(?<=[.!?])\s+", words):
            if not INTRO.search(sentence):
                continue
            person = people[key]
            company = AT_COMPANY.search(sentence)
            role = INTRO_ROLE.search(sentence)
            people[key] = replace(
                person,
                company_name=person.company_name or (company.group("company").strip() if company else None),
                role=person.role or (role.group("role").strip() if role else None),
            )


def _signatures(text: str) -> list[Person]:
    """Signature blocks after a sign-off: a name line, then role and company lines."""
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines):
        if not re.match(cues.SIGN_OFF, line, re.IGNORECASE):
            continue
        block = [entry.strip() for entry in lines[i + 1 : i + 1 + SIGNATURE_LINES + 2] if entry.strip()][
            :SIGNATURE_LINES
        ]
        if not block or not PERSON_NAME.match(block[0]):
            continue
        role = company = email = None
        for entry in block[1:]:
            address = EMAIL.search(entry)
            if address:
                email = address.group(0)
                continue
            if re.search(r"\d{3}|https?://|www\.", entry):
                continue
            entry_role, entry_company = _role_or_company(entry)
            role, company = role or entry_role, company or entry_company
        found.append(Person(name=block[0], email=email, role=role, company_name=company))
    return found


def _merge(people: list[Person]) -> list[Person]:
    """One person per e-mail address or name, keeping every detail found."""
    merged: list[Person] = []
    for person in people:
        for i, known in enumerate(merged):
            same_email = person.email and known.email and person.email.lower() == known.email.lower()
            same_name = person.name and known.name and _norm(person.name) == _norm(known.name)
            if same_email or (same_name and not (person.email and known.email)):
                merged[i] = Person(
                    name=known.name or person.name,
                    email=known.email or person.email,
                    role=known.role or person.role,
                    company_domain=known.company_domain or person.company_domain,
                    company_name=known.company_name or person.company_name,
                )
                break
        else:
            merged.append(person)
    return merged


def find_parties(
    text: str, turns: list[Span], interviewers: set[str]
) -> tuple[tuple[Person, ...], tuple[Company, ...]]:
    speakers: dict[str, Person] = {}
    for turn in turns:
        person = speaker_person(turn.speaker or "")
        if (
            person is not None
            and turn.speaker not in interviewers
            and _norm(person.name or "") not in speakers
        ):
            speakers[_norm(person.name or "")] = person
    _introductions(text, turns, speakers)
    people = list(speakers.values())
    people += [Person(name=m.group("name"), email=m.group("email")) for m in NAMED_EMAIL.finditer(text)]
    people += _signatures(text)
    people += [Person(name=None, email=m.group(0)) for m in EMAIL.finditer(text)]

    kept: list[Person] = []
    for person in _merge(people):
        if person.email:
            local, domain = person.email.lower().rsplit("@", 1)
            if local in cues.ROLE_MAILBOXES:
                continue
            if domain not in cues.FREE_MAIL_DOMAINS:
                person = replace(person, company_domain=registrable_domain(domain))
        kept.append(person)
    return tuple(kept), _companies(kept)


@dataclass
class _Draft:
    name: str
    explicit: bool  # named in the text, not derived from a domain
    domain: str | None

    def matches(self, name: str, domain: str | None) -> bool:
        return bool(
            (domain and self.domain == domain)
            or _norm(self.name) == _norm(name)
            or (domain and _norm(self.name) == _norm(company_name_from_domain(domain)))
            or (self.domain and _norm(company_name_from_domain(self.domain)) == _norm(name))
        )


def _companies(people: list[Person]) -> tuple[Company, ...]:
    """One company per domain or name; a name written in the text beats one derived from a domain."""
    drafts: list[_Draft] = []
    for person in people:
        domain = person.company_domain
        if domain is None and person.company_name is None:
            continue
        name = person.company_name or company_name_from_domain(domain or "")
        draft = next((d for d in drafts if d.matches(name, domain)), None)
        if draft is None:
            drafts.append(_Draft(name, person.company_name is not None, domain))
            continue
        if person.company_name is not None and not draft.explicit:
            draft.name, draft.explicit = name, True
        draft.domain = draft.domain or domain
    return tuple(Company(name=d.name, domain=d.domain) for d in drafts)
