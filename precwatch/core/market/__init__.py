"""Marketplace monitoring: offers, seller signals, boilerplate, vendor resolution, judgements, diffs."""
