"""HSC-JIT load test: WebSocket typing/query users and HTTP API users.

    uv run locust -f loadtest/locustfile.py --host http://127.0.0.1:8000
    uv run locust -f loadtest/locustfile.py --headless -u 200 -r 50 -t 60s --host ...

Settings and thresholds come from ``HSC_LOAD_*`` variables (see loadtest/config.py);
``uv run python -m bench.load`` starts a server, runs this headless and writes a report.
"""

from loadtest.scenarios import HttpApiUser, WebSocketUser

__all__ = ["HttpApiUser", "WebSocketUser"]
