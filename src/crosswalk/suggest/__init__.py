"""Alignment suggestions and their evaluation (see docs/suggest.md)."""
