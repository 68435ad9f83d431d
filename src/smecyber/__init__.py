"""smecyber: find and fix the cyber security weaknesses of small and medium-sized companies."""

__version__ = "0.1.0"
