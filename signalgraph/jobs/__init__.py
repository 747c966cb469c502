"""Async work: arq on Redis, or the same job functions in-process when no Redis is configured."""
