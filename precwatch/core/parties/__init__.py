"""Parties: company names, watchlists, contacts (being gathered here by the layout move)."""
