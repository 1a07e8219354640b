"""Sources in GraphQL: Source, the sources list, create and update."""
