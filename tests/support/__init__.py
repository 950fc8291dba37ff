"""Shared test fixtures: database backends, worlds (populations), factories (incident bodies)."""
