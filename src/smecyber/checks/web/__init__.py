"""web checks."""
