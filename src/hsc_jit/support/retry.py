"""When to try a delivery again: exponential backoff with full jitter."""

from __future__ import annotations

import random


def retry_delay(attempts: int, base_s: float, cap_s: float) -> float:
    """Seconds before the next try after ``attempts`` failed ones: uniform in [0, min(cap,
    base * 2^(attempts-1))], so receivers coming back are not hit by every ticket at once."""
    ceiling = min(cap_s, base_s * 2.0 ** min(max(attempts - 1, 0), 62))
    return random.uniform(0.0, ceiling)
