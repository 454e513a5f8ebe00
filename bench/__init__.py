"""Benchmarks and data generators for kacrm (not installed with the package)."""
