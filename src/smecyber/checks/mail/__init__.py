"""mail checks."""
