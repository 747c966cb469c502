"""The documented External REST API v1, as a thin translation onto the GraphQL schema."""

from .endpoint import PREFIX, create_rest_app, http_error

__all__ = ["PREFIX", "create_rest_app", "http_error"]
