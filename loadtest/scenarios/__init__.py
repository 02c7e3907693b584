"""The Locust user classes; importing them also installs the run hooks (samples, thresholds)."""

from loadtest.hooks import install
from loadtest.scenarios.http import HttpApiUser
from loadtest.scenarios.ws import WebSocketUser

install()

__all__ = ["HttpApiUser", "WebSocketUser"]
