"""HSC-JIT: just-in-time product support."""

__version__ = "0.1.0"
