"""Signalgraph: a self-hostable backend for product discovery."""
