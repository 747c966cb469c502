"""The only place that builds queries. Every function takes the session and the workspace id."""
