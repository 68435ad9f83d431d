"""Rendering of scan results: the terminal report and the JSON document."""
