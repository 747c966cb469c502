"""All SQLModel tables; importing this package registers every table on `SQLModel.metadata`."""

from sqlmodel import SQLModel

from .accounts import Account, AccountIdea, AccountInsight, AccountOpportunity, Contact
from .blobs import Blob
from .context_documents import ContextDocument
from .context_units import ContextUnit
from .ideas import Idea
from .idempotency import IdempotencyRecord
from .insights import Insight, InsightIdea, InsightOpportunity, InsightSource, InsightTag
from .jobs import Job
from .okrs import KeyResult, KeyResultProject, Okr, OkrProduct
from .opportunities import Opportunity, OpportunityIdea
from .products import Product, ProductFeature, ProductPersona, ProductQuestion
from .projects import Project
from .signals import Signal, SignalAccount, SignalInsight, SignalProduct
from .tags import Tag
from .workspaces import ApiKey, Workspace, WorkspaceCounter

metadata = SQLModel.metadata

__all__ = [
    "Account", "AccountIdea", "AccountInsight", "AccountOpportunity", "ApiKey", "Blob", "Contact",
    "ContextDocument", "ContextUnit", "Idea", "IdempotencyRecord", "Insight", "InsightIdea", "InsightOpportunity",
    "InsightSource", "InsightTag", "Job",
    "KeyResult", "KeyResultProject", "Okr", "OkrProduct", "Opportunity", "OpportunityIdea", "Product",
    "ProductFeature", "ProductPersona", "ProductQuestion", "Project", "Signal", "SignalAccount",
    "SignalInsight", "SignalProduct", "Tag", "Workspace", "WorkspaceCounter", "metadata",
]
