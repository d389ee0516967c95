"""The database key's escrow with the province, at the end of a sync (see ``core/escrow.py``).

Sent once per province public key: when the province publishes a new key (``escrow_public_key``,
decided by the province), every counter sends its key sealed to it at its next sync. A plain store
(no key) sends nothing; a failure is reported and retried at the next sync, never blocking one.
"""

from __future__ import annotations

from typing import Callable

from counter_app.core import escrow

ESCROWED_TO = "escrowed_to"  # sync_state: the fingerprint of the public key the key was sealed to


def escrow_if_needed(uow_factory: Callable, client, database_key: Callable[[], bytes | None]) -> bool:
    """True when the key was sent in this call."""
    with uow_factory(write=False) as uow:
        public = uow.settings.get("escrow_public_key") or ""
        done = uow.sync_state.get(ESCROWED_TO)
        device = uow.sync_state.get("device_id")
    if not public:
        return False
    key = database_key()
    if key is None:
        return False
    target = escrow.fingerprint(public)
    if done == target:
        return False
    client.escrow(escrow.seal(public, key, context=f"device:{device}"))
    with uow_factory() as uow:
        uow.sync_state.set(ESCROWED_TO, target)
        uow.commit()
    return True
