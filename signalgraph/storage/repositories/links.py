"""Every many-to-many link table, seen from each side. Loaders and repositories read this table."""

from __future__ import annotations

from ..models import (
    AccountIdea,
    AccountInsight,
    AccountOpportunity,
    InsightIdea,
    InsightOpportunity,
    InsightTag,
    KeyResultProject,
    OkrProduct,
    OpportunityIdea,
    SignalAccount,
    SignalInsight,
    SignalProduct,
)
from .base import Link

# Each seen from the side of its first key column (`Link.of`); `.reversed()` is the other side.
SIGNAL_INSIGHTS, SIGNAL_ACCOUNTS, SIGNAL_PRODUCTS = map(Link.of, (SignalInsight, SignalAccount, SignalProduct))
INSIGHT_OPPORTUNITIES, INSIGHT_IDEAS, INSIGHT_TAGS = map(Link.of, (InsightOpportunity, InsightIdea, InsightTag))
OPPORTUNITY_IDEAS, OKR_PRODUCTS, KEY_RESULT_PROJECTS = map(Link.of, (OpportunityIdea, OkrProduct, KeyResultProject))
ACCOUNT_INSIGHTS, ACCOUNT_OPPORTUNITIES, ACCOUNT_IDEAS = map(Link.of, (AccountInsight, AccountOpportunity, AccountIdea))
