"""Talking to the reference server as a counter would, below the sync engine: the device's token,
a raw push, and the events the outbox would send next (left pending)."""

from __future__ import annotations

from datetime import timedelta

import requests


def token_of(counter) -> str:
    return counter.engine.client.token


def push(province, counter, events, token=None):
    return requests.post(f"{province.url}/api/v1/sync/push", json={"events": events}, timeout=10,
                         headers={"Authorization": f"Bearer {token or token_of(counter)}"})


def claimed(counter) -> list[dict]:
    with counter.app.uow() as uow:
        batch = uow.outbox.claim(counter.app.clock.now(), timedelta(minutes=2))
        uow.outbox.release([e["uuid"] for e in batch], "test")
        uow.commit()
    return batch
