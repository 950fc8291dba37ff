"""Batch jobs over files, callable as a library."""
