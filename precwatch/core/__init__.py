"""The pure domain of precwatch: no I/O, no environment, no frameworks."""
