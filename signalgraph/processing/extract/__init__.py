"""Turning evidence into findings: the Extractor interface, the local default and the LLM provider."""

from __future__ import annotations

from ...settings import Settings
from ..chat_completions import TokenUsage
from .base import Extraction, ExtractionError, ExtractionRequest, Extractor, Finding
from .llm import LLMExtractor
from .local import LocalExtractor


def create_extractor(settings: Settings, usage: TokenUsage | None = None) -> Extractor:
    """The LLM provider when SIGNALGRAPH_LLM_BASE_URL is set (spending from `usage`); the local rules otherwise."""
    return LLMExtractor(settings, usage) if settings.llm_base_url else LocalExtractor()


__all__ = [
    "Extraction",
    "ExtractionError",
    "ExtractionRequest",
    "Extractor",
    "Finding",
    "LLMExtractor",
    "LocalExtractor",
    "create_extractor",
]
