"""Identification of substances named in free text, however disguised."""
