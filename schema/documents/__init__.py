"""Documents in GraphQL: Document, the documents list, create and update."""
