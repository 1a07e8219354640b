"""Claims in GraphQL: Claim, ClaimComparison, the claims list, create, update and merge."""
