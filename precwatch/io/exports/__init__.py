"""Exports to other tools: FollowTheMoney (Aleph, OpenSanctions), STIX, MISP."""
