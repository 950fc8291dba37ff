"""The knowledge base: substances, their identifiers, names and sourced control statuses."""
