"""API keys in GraphQL: ApiKey, apiKeys, createApiKey and revokeApiKey (admins only)."""
