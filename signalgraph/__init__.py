"""Signalgraph: a self-hostable backend for product discovery."""

import importlib.metadata

try:
    __version__ = importlib.metadata.version("signalgraph")
except importlib.metadata.PackageNotFoundError:  # a source tree that was never installed
    __version__ = "unknown"
