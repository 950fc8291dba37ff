"""Structural class rules: laws that control a family of chemicals, one module per family."""
