"""What an input value must be beyond its GraphQL type, declared once: checked here, for both faces, and
read by the REST layer's OpenAPI document (rest_compat/openapi.py), so the two cannot disagree.

`RULES` is keyed `<InputType>.<field>` (GraphQL names) for input object fields, and
`<RootType>.<field>.<argument>` for the arguments of a root field. Input object fields are checked when
a resolver takes its input (`provided` in schema/inputs.py), before anything is written; root-field
arguments are checked where they are used (pagination, context search), from the same constants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import InvalidInput
from ..limits import (
    FEATURES_PER_PRODUCT,
    KEY_RESULTS_PER_OKR,
    PERSONAS_PER_PRODUCT,
    TRANSCRIPT_CHARS,
)
from ..resolvers import (
    accounts,
    context_documents,
    context_search,
    signal_creation,
    signals,
)
from ..resolvers.common import camel
from ..resolvers.resources import Field, Resource
from ..storage.repositories.base import MAX_SEARCH_CHARS


# What `str.strip()` leaves something of. Anchored: Schemathesis' coverage phase handles a bare `\S`
# together with maxLength badly (it generates a body that is not even an object).
def _space_class() -> str:
    r"""Python's whitespace (`str.isspace`, what `strip()` removes) as a character class body: ECMA's `\s`
    differs (it lacks U+001C-U+001F and U+0085, and has U+FEFF)."""
    spaces = [c for c in map(chr, range(0x3001)) if c.isspace()]
    return "".join(f"\\u{ord(c):04x}" for c in spaces)


SPACE = _space_class()
NOT_BLANK_PATTERN = rf"^[{SPACE}]*[^{SPACE}]"
TEXT_MAX = 100_000  # resolvers.common.text's default
NAME_MAX = 500


@dataclass(frozen=True)
class Rule:
    """One field's constraints. `not_null`: may be left out, never sent as null (update inputs)."""

    not_blank: bool = False
    max_length: int | None = None
    values: tuple[str, ...] = ()
    not_null: bool = False
    minimum: float | None = None
    maximum: float | None = None
    max_items: int | None = None  # a list's length
    pattern: str = ""  # a regular expression the whole value matches (Python and ECMA alike)
    pattern_names: str = ""  # what the pattern describes, for the error: "an email address"
    json: dict[str, Any] = field(default_factory=dict)  # the shape of a JSON value, as JSON Schema

    def check(self, value: Any, name: str) -> None:
        if value is None:
            if self.not_null:
                raise InvalidInput(f"{name} cannot be null", field=name)
            return
        if isinstance(value, str):
            if self.not_blank and not value.strip():
                raise InvalidInput(f"{name} must not be empty", field=name)
            if self.max_length is not None and len(value) > self.max_length:
                raise InvalidInput(f"{name} must be at most {self.max_length} characters", field=name)
            if self.values and value not in self.values:
                raise InvalidInput(f"{name} must be one of: {', '.join(self.values)}", field=name)
            if self.pattern and not re.fullmatch(self.pattern, value):
                raise InvalidInput(f"{name} is not {self.pattern_names}: {value!r}", field=name)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            low = self.minimum if self.minimum is not None else float("-inf")
            high = self.maximum if self.maximum is not None else float("inf")
            if not low <= value <= high:
                raise InvalidInput(f"{name} must be between {_number(low)} and {_number(high)}", field=name)
        elif isinstance(value, list) and self.max_items is not None and len(value) > self.max_items:
            raise InvalidInput(f"{name} must have at most {self.max_items} items", field=name)

    def json_schema(self) -> dict[str, Any]:
        """The same constraints in JSON Schema, for a non-null value."""
        schema: dict[str, Any] = {}
        if self.not_blank:
            schema |= {"minLength": 1, "pattern": NOT_BLANK_PATTERN}
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        if self.values:
            schema["enum"] = list(self.values)
        if self.pattern:
            schema["pattern"] = f"^(?:{self.pattern})$"
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        if self.max_items is not None:
            schema["maxItems"] = self.max_items
        schema |= self.json  # a shape of its own (a JSON value's, a tighter pattern) comes last
        return schema


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


TEXT = Rule(not_blank=True, max_length=TEXT_MAX)  # required text: not blank
NAME = Rule(not_blank=True, max_length=NAME_MAX)
OBJECT = {"type": "object"}
# One @, something before it, a dotted domain after it, no spaces.
EMAIL = Rule(pattern=rf"[^@{SPACE}]+@[^@{SPACE}.]+(?:\.[^@{SPACE}.]+)+", pattern_names="an email address")
SOURCE = {  # a signal's source descriptor
    "type": "object",
    "properties": {"type": {"type": "string", "minLength": 1, "pattern": NOT_BLANK_PATTERN}},
    "required": ["type"],
}


def never_null(rule: Rule) -> Rule:
    return replace(rule, not_null=True)


def _optional(lengths: dict[str, int]) -> dict[str, Rule]:
    return {camel(name): Rule(max_length=length) for name, length in lengths.items()}



# An account's fields are declared (resolvers/accounts.py); an externalId, when given, is also not blank.
_ACCOUNT = {"externalId": NAME}
_CONTACT = {
    **_optional(accounts.CONTACT_LENGTHS),
    "name": NAME,
    "email": replace(EMAIL, max_length=accounts.CONTACT_LENGTHS["email"]),
    "isPrimary": Rule(not_null=True),
}
# A plain file name once stripped (resolvers/context_documents.py, which checks it): no control characters,
# no path separators, not . or ..
FILE_NAME = (
    rf"^[{SPACE}]*(?!\.\.?[{SPACE}]*$)[^{SPACE}\x00-\x1f/\\](?:[^\x00-\x1f/\\]*[^{SPACE}\x00-\x1f/\\])?[{SPACE}]*$"
)
# resolvers/context_documents.py's MIME_TYPE_PATTERN, once stripped
MIME_TYPE = Rule(max_length=255, json={"pattern": rf"^[{SPACE}]*[\w.+-]+/[\w.+-]+(?:\s*;.*)?[{SPACE}]*$"})
_CONTEXT_DOCUMENT = {
    "fileName": Rule(not_blank=True, max_length=context_documents.FILE_NAME_MAX, json={"pattern": FILE_NAME}),
    "description": Rule(max_length=context_documents.DESCRIPTION_MAX),
}
TECH_STACK = {  # resolvers/products.py: [{name, roles}]
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "name": {"type": "string", "minLength": 1, "pattern": NOT_BLANK_PATTERN},
            "roles": {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}]},
        },
        "required": ["name"],
        "additionalProperties": False,
    },
}
_PRODUCT = {
    "name": NAME,
    "description": TEXT,
    "externalId": NAME,
    "type": Rule(max_length=200),
    "techStack": Rule(json=TECH_STACK),
}
# A new product's features cannot name a parent yet (resolvers/products.py).
INITIAL_FEATURES = {
    "type": "array",
    "items": {"$ref": "#/components/schemas/CreateProductFeatureInput", "properties": {"parentId": {"type": "null"}}},
}
_NAMED = {"name": NAME, "description": TEXT}  # product features and personas
_OKR = {"objective": TEXT, "keyResults": Rule(max_items=KEY_RESULTS_PER_OKR)}


def _update(rules: dict[str, Rule], *never_null_fields: str) -> dict[str, Rule]:
    return {name: never_null(rule) if name in never_null_fields else rule for name, rule in rules.items()} | {
        name: never_null(rules.get(name, Rule())) for name in never_null_fields
    }


def _table(**inputs: dict[str, Rule]) -> dict[str, Rule]:
    return {f"{type_name}.{name}": rule for type_name, fields in inputs.items() for name, rule in fields.items()}


RULES: dict[str, Rule] = _table(
    CreateAccountInput=_ACCOUNT,
    UpdateAccountInput=_ACCOUNT,
    CreateContactInput=_CONTACT,
    UpdateContactInput=_update(_CONTACT, "name"),
    CreateContextDocumentInput={**_CONTEXT_DOCUMENT, "mimeType": MIME_TYPE},
    UploadContextDocumentInput={"description": _CONTEXT_DOCUMENT["description"]},
    UpdateContextDocumentInput=_update(_CONTEXT_DOCUMENT, "fileName"),
    ExtractInsightsInput={"transcript": Rule(not_blank=True, max_length=TRANSCRIPT_CHARS)},
    CreateOkrInput=_OKR,
    UpdateOkrInput=_update(_OKR, "objective", "priority", "keyResults"),
    KeyResultInput={"name": Rule(not_blank=True, max_length=1000)},
    CreateProductInput={
        **_PRODUCT,
        "features": Rule(max_items=FEATURES_PER_PRODUCT, json=INITIAL_FEATURES),
        "personas": Rule(max_items=PERSONAS_PER_PRODUCT),
    },
    UpdateProductInput=_update(_PRODUCT, "name", "description"),
    CreateProductFeatureInput=_NAMED,
    UpdateProductFeatureInput=_update(_NAMED, "name", "description"),
    CreateProductPersonaInput=_NAMED,
    UpdateProductPersonaInput=_update(_NAMED, "name", "description"),
    CreateSignalInput={
        "text": Rule(not_blank=True, max_length=signal_creation.MAX_TEXT_CHARS),
        **{
            camel(name): Rule(not_blank=True, max_length=length)
            for name, length in signal_creation.STRING_LIMITS.items()
        },
        "source": Rule(json=SOURCE),
        "data": Rule(json=OBJECT),
        "sourceExternalData": Rule(json=OBJECT),
    },
    UpdateSignalInput={
        "name": never_null(NAME),
        "status": Rule(values=signals.UPDATABLE_STATUSES, not_null=True),
        "source": Rule(json=SOURCE, not_null=True),
        "context": Rule(max_length=64),
        "externalId": NAME,
        "data": Rule(json=OBJECT),
    },
    # every <Domain>Filter: the search text (storage/repositories/base.py)
    Filter={"search": Rule(max_length=MAX_SEARCH_CHARS)},
) | {
    "Query.searchContext.query": Rule(not_blank=True, max_length=context_search.QUERY_MAX),
    "Query.searchContext.first": Rule(minimum=1, maximum=context_search.FIRST_MAX),
}


# Rules across fields, as JSON Schema for the whole input object, by input type. Checked by the resolver
# (resolvers/signal_creation.py: typed text or raw payload).
_TYPED = signal_creation.TYPED_PROCESSOR
SHAPES: dict[str, dict[str, Any]] = {
    "CreateSignalInput": {
        "oneOf": [
            {
                "description": "Typed text: text and signalType; the server builds source and data.",
                "properties": {
                    "text": {"type": "string"},
                    "signalType": {"type": "string"},
                    "source": {"type": "null"},
                    "data": {"type": "null"},
                    "processorType": {"anyOf": [{"const": _TYPED}, {"type": "null"}]},
                },
                "required": ["text", "signalType"],
            },
            {
                "description": "Raw: no text; processorType, source or data as given.",
                "properties": {
                    "text": {"type": "null"},
                    "signalType": {"type": "null"},
                    "processorType": {"not": {"const": _TYPED}},
                },
                "anyOf": [
                    {"properties": {"processorType": {"type": "string"}}, "required": ["processorType"]},
                    {"properties": {"source": {"type": "object"}}, "required": ["source"]},
                    {"properties": {"data": {"type": "object"}}, "required": ["data"]},
                ],
            },
        ]
    }
}

# The resources of the generic layer (resolvers/resources.py), by GraphQL name: their inputs' rules come
# from their declarations, which also check them (schema/resources.py registers each one it builds).
RESOURCES: dict[str, Resource[Any]] = {}


def register(resource: Resource[Any]) -> None:
    RESOURCES[resource.name] = resource


def declared(owner: str, name: str) -> Rule | None:
    """The rule of a field of a resource's `Create…Input` or `Update…Input`, from its declaration."""
    match = re.fullmatch(r"(Create|Update)(\w+)Input", owner)
    resource = RESOURCES.get(match[2]) if match else None
    if resource is None:
        return None
    f = next((f for f in resource.fields if camel(f.name) == name), None)
    if not isinstance(f, Field):
        return None
    text = f.type is str
    return Rule(
        not_blank=text and f.required,
        max_length=f.max_length if text and not f.values else None,
        values=f.values,
        not_null=match is not None and match[1] == "Update" and f.not_null,
        minimum=f.bounds[0] if f.bounds else None,
        maximum=f.bounds[1] if f.bounds else None,
    )


def rule(owner: str, name: str) -> Rule | None:
    """The rule of a field of an input type, or of an argument (`owner` = `Query.searchContext`): RULES',
    else its resource's declaration."""
    found = RULES.get(f"{owner}.{name}") or declared(owner, name)
    if found is None and owner.endswith("Filter"):
        found = RULES.get(f"Filter.{name}")
    return found


def check(type_name: str, name: str, value: Any, shown_as: str) -> None:
    """Refuse the value of a field of an input object that breaks its rule in RULES, naming it `shown_as`
    (a resource's declared fields are checked by the resource layer)."""
    found = RULES.get(f"{type_name}.{name}")
    if found is None and type_name.endswith("Filter"):
        found = RULES.get(f"Filter.{name}")
    if found is not None:
        found.check(value, shown_as)
