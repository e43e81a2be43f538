"""Samachar: Hindi news sites -> a clean, bilingual archive in PostgreSQL."""

__version__ = "0.1.0"
