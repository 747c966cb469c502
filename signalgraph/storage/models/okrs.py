"""OKRs, their ordered key results, and links to products and projects."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlmodel import Field, SQLModel

from .base import WorkspaceRow, created_field, link_field, ref_field, updated_field, workspace_field


class Okr(WorkspaceRow, table=True):
    __tablename__ = "okrs"
    __table_args__ = (Index("ix_okrs_workspace_created", "workspace_id", "created_at"),)

    objective: str = Field(sa_type=Text)
    priority: int = 0
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()


class OkrProduct(SQLModel, table=True):
    __tablename__ = "okr_products"

    okr_id: str = link_field("okrs")
    product_id: str = link_field("products", index=True)
    workspace_id: str = workspace_field()


class KeyResultProject(SQLModel, table=True):
    __tablename__ = "key_result_projects"

    key_result_id: str = link_field("key_results")
    project_id: str = link_field("projects", index=True)
    workspace_id: str = workspace_field()


class KeyResult(WorkspaceRow, table=True):
    __tablename__ = "key_results"

    okr_id: str = ref_field("okrs")
    name: str = Field(sa_type=String(1000))
    position: int = 0
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
