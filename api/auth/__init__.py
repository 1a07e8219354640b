"""Who may call: API keys, roles, and per-caller rate limits (docs/security.md, "Access")."""
