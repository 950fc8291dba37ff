"""Batch jobs over files and the store, callable as a library."""
