"""The sharing hub's domain rules: TLP access, incident validation, the audit chain."""
