"""OKRs, their ordered key results, and links to products and projects."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlmodel import Field

from .base import LinkRow, TimestampedRow, link_field, newest_first, ref_field


class Okr(TimestampedRow, table=True):
    __tablename__ = "okrs"
    __table_args__ = (newest_first("okrs"),)

    objective: str = Field(sa_type=Text)
    priority: int = 0


class OkrProduct(LinkRow, table=True):
    __tablename__ = "okr_products"

    okr_id: str = link_field("okrs")
    product_id: str = link_field("products", index=True)


class KeyResultProject(LinkRow, table=True):
    __tablename__ = "key_result_projects"

    key_result_id: str = link_field("key_results")
    project_id: str = link_field("projects", index=True)


class KeyResult(TimestampedRow, table=True):
    __tablename__ = "key_results"

    okr_id: str = ref_field("okrs")
    name: str = Field(sa_type=String(1000))
    position: int = 0
