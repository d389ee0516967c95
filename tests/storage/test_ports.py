"""The SQLite unit of work provides every repository the core's port declares, method by method
with the same parameters, so that the services depend on the port and nothing else."""

from __future__ import annotations

import inspect
import typing

from counter_app.core import ports


def _methods(cls) -> dict[str, inspect.Signature]:
    return {name: inspect.signature(member) for name, member in vars(cls).items()
            if callable(member) and not name.startswith("_")}


def _params(sig: inspect.Signature) -> list[tuple[str, object]]:
    return [(p.name, p.kind) for p in sig.parameters.values() if p.name != "self"]


def test_every_repository_of_the_port_is_provided_with_the_same_signatures(app):
    declared = typing.get_type_hints(ports.UnitOfWork, vars(ports))
    assert {"dossiers", "outbox", "sync_state", "remote", "cert_register", "certifications",
            "holder_desks"} <= set(declared)
    with app.read_uow() as uow:
        for attr, protocol in declared.items():
            concrete = type(getattr(uow, attr))
            wanted = _methods(protocol)
            assert wanted, f"{protocol.__name__} declares no method"
            have = _methods(concrete)
            for name, sig in wanted.items():
                assert name in have, f"{concrete.__name__} lacks {name} ({protocol.__name__})"
                assert _params(have[name]) == _params(sig), f"{concrete.__name__}.{name} differs from the port"
