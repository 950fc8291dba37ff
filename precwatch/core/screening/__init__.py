"""Screening of declarations and listings: records, fields, rules, the explainable verdict."""
