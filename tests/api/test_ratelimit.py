"""Per-user API rate limits: a burst, then 429 with Retry-After; other users unaffected."""

from __future__ import annotations

import pytest

from reelforge.api.ratelimit import RateLimiter
from reelforge.errors import TooManyRequests
from reelforge.store.users import add_user

from .conftest import ServerProcess
from .support import assert_error


def test_a_user_past_the_limit_gets_429_and_others_do_not(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    data_dir = tmp_path_factory.mktemp("ratelimit")
    env = {"REELFORGE_API_REQUESTS_PER_MINUTE": "30", "REELFORGE_API_BURST": "5"}
    server = ServerProcess(data_dir, env=env, max_render_jobs=0).start()
    try:
        alice, bob = (add_user(data_dir=data_dir, name=name) for name in ("alice", "bob"))
        with server.client(alice) as api, server.client(bob) as bob_api:
            assert [api.get("/api/projects").status_code for _ in range(5)] == [200] * 5
            refused = api.get("/api/projects")
            error = assert_error(refused, 429)
            assert "REELFORGE_API_REQUESTS_PER_MINUTE" in error["message"]
            assert 1 <= int(refused.headers["Retry-After"]) <= 2  # one token: 2 s at 30/min
            assert bob_api.get("/api/projects").status_code == 200
            assert server.client().get("/api/health").status_code == 200  # no user, no limit
    finally:
        server.stop()


@pytest.mark.parametrize(("per_minute", "burst"), [(60, 1), (600, 10), (6000, 3)])
def test_buckets_refill_at_the_rate(per_minute: int, burst: int) -> None:
    limiter = RateLimiter(per_minute=per_minute, burst=burst)
    for _ in range(burst):
        limiter.hit("u", now=100.0)
    with pytest.raises(TooManyRequests) as refused:
        limiter.hit("u", now=100.0)
    wait = 60 / per_minute
    assert refused.value.retry_after == max(1, round(wait + 0.4999))
    limiter.hit("u", now=100.0 + wait * 1.01)  # one token back
    limiter.hit("other", now=100.0)
