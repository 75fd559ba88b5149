"""The fictional FCC Example complex (facility.toml) and its synthetic sample data set."""

from sample_data.generate import DEFAULT_END, generate

__all__ = ["DEFAULT_END", "generate"]
