"""Locust load tests for HSC-JIT: WebSocket and HTTP users, configured from ``HSC_LOAD_*``."""
