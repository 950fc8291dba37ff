"""Identification of structures: read, standardise, look up, unmask, compare, depict."""
