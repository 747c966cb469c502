"""Products and what describes them: a feature tree, personas, clarification questions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, Text, UniqueConstraint
from sqlmodel import Field

from .base import TimestampedRow, json_field, newest_first, ref_field, unique_in_workspace


class Product(TimestampedRow, table=True):
    __tablename__ = "products"
    __table_args__ = (
        newest_first("products"),
        unique_in_workspace("products", "external_id"),
    )

    name: str = Field(sa_type=String(500))
    description: str = Field(sa_type=Text)
    description_analysis: dict[str, Any] | None = json_field()
    type: str | None = Field(default=None, sa_type=String(200))
    stack: str | None = Field(default=None, sa_type=Text)
    mission: str | None = Field(default=None, sa_type=Text)
    external_id: str | None = Field(default=None, sa_type=String(500))
    kpis: list[str] = json_field(list, nullable=False)
    tech_stack: list[Any] = json_field(list, nullable=False)
    analysis: dict[str, Any] = json_field(dict, nullable=False)


class ProductFeature(TimestampedRow, table=True):
    __tablename__ = "product_features"

    product_id: str = ref_field("products")
    # Deleting a feature makes its children roots rather than deleting a whole subtree.
    parent_id: str | None = ref_field("product_features", ondelete="SET NULL", nullable=True)
    name: str = Field(sa_type=String(500))
    description: str = Field(default="", sa_type=Text)


class ProductPersona(TimestampedRow, table=True):
    __tablename__ = "product_personas"

    product_id: str = ref_field("products")
    name: str = Field(sa_type=String(500))
    description: str = Field(default="", sa_type=Text)
    goals: list[str] = json_field(list, nullable=False)
    pain_points: list[str] = json_field(list, nullable=False)
    use_cases: list[str] = json_field(list, nullable=False)


class ProductQuestion(TimestampedRow, table=True):
    """A clarification question about a product, written by product analysis; read-only over the API."""

    __tablename__ = "product_questions"
    __table_args__ = (UniqueConstraint("product_id", "topic", name="uq_product_questions_product_topic"),)

    product_id: str = ref_field("products")
    topic: str = Field(sa_type=String(64))
    question: str = Field(sa_type=Text)
    status: str = Field(default="open", sa_type=String(20))
    answer: str | None = Field(default=None, sa_type=Text)
