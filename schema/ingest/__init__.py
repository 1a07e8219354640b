"""ingestDocument: an article's claims stored as suggestions."""
