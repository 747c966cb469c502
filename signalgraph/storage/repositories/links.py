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

SIGNAL_INSIGHTS = Link(SignalInsight, "signal_id", "insight_id")
SIGNAL_ACCOUNTS = Link(SignalAccount, "signal_id", "account_id")
SIGNAL_PRODUCTS = Link(SignalProduct, "signal_id", "product_id")
INSIGHT_OPPORTUNITIES = Link(InsightOpportunity, "insight_id", "opportunity_id")
INSIGHT_IDEAS = Link(InsightIdea, "insight_id", "idea_id")
INSIGHT_TAGS = Link(InsightTag, "insight_id", "tag_id")
OPPORTUNITY_IDEAS = Link(OpportunityIdea, "opportunity_id", "idea_id")
OKR_PRODUCTS = Link(OkrProduct, "okr_id", "product_id")
KEY_RESULT_PROJECTS = Link(KeyResultProject, "key_result_id", "project_id")
ACCOUNT_INSIGHTS = Link(AccountInsight, "account_id", "insight_id")
ACCOUNT_OPPORTUNITIES = Link(AccountOpportunity, "account_id", "opportunity_id")
ACCOUNT_IDEAS = Link(AccountIdea, "account_id", "idea_id")
