"""The token bucket: a burst of a few seconds' worth, then the steady rate, per caller."""

from __future__ import annotations

from api.auth.rate import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_one_request_per_token_refilled() -> None:
    # given: 600 a minute is 10 a second, so a burst of 50
    clock = Clock()
    limiter = RateLimiter(600, clock)
    # when
    burst = [limiter.acquire("key:1") for _ in range(50)]
    refused = limiter.acquire("key:1")
    clock.now += 0.11
    after_a_tenth = limiter.acquire("key:1")
    # then
    assert burst == [0.0] * 50
    assert 0.09 < refused <= 0.1
    assert after_a_tenth == 0.0
    assert limiter.acquire("key:1") > 0


def test_callers_have_buckets_of_their_own() -> None:
    # given
    limiter = RateLimiter(60, Clock())
    for _ in range(5):
        limiter.acquire("addr:10.0.0.1")
    # when / then
    assert limiter.acquire("addr:10.0.0.1") > 0
    assert limiter.acquire("addr:10.0.0.2") == 0.0
