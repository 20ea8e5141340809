"""langgraph-checkpoint-plainredis (its sync RedisSaver): a key prefix of its own per case, its keys deleted at the end.

The --target-arg is the server's URL (redis://127.0.0.1:PORT/0).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import redis
from catalogue.factories._timed import timed
from langgraph_checkpoint_plainredis import RedisSaver


@timed
@contextmanager
def factory(url: str) -> Iterator[RedisSaver]:
    prefix = f"spec-{uuid.uuid4().hex}"
    saver = RedisSaver(url=url, prefix=prefix)
    try:
        yield saver
    finally:
        saver.close()
        # Only this case's keys: every key the saver makes starts with its prefix (saver.py, the _key_* methods).
        with redis.Redis.from_url(url) as client:
            keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
            if keys:
                client.delete(*keys)
