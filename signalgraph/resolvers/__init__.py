"""What the graph does: per-domain async functions over repositories. No SQL, no GraphQL types."""
