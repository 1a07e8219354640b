"""Live updates in GraphQL: Change, ChangeKind, Subscription.changes (and webhooks)."""
