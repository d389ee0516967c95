"""``LocalRegisterHolder``: the ``core.ports.RegisterHolder`` of the machine that holds the office's
certification registers itself.

Numbers are drawn inside the dossier's own write transaction (``issue``), never before it: a
number then exists only with its dossier, and two desks of one process queue on SQLite's write
lock instead of racing (see b3a6c66). So ``reserve`` asks nothing and ``confirm`` has nothing to do.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from counter_app.core.certification import NumberingRequest, RegisterEntry, RegisterNumber
from counter_app.core.ports import Clock, UnitOfWork


class LocalRegisterHolder:
    numbers_final_at_commit = True

    def __init__(self, uow_factory: Callable[[], UnitOfWork], read_uow_factory: Callable[[], UnitOfWork],
                 agency: str, book_size: int, clock: Clock) -> None:
        self._uow = uow_factory
        self._read_uow = read_uow_factory
        self.agency = agency
        self.book_size = book_size
        self._clock = clock

    def reserve(self, prepare: Callable[[], NumberingRequest]) -> None:
        return None  # validation and numbering happen together, in ``issue``

    def issue(self, uow: UnitOfWork, request: NumberingRequest, reserved,
              dossier_code: str) -> list[RegisterNumber]:
        return uow.cert_register.allocate(self.agency, request.year, request.register_type, self.book_size,
                                          request.request_id, list(request.entries), self._clock.now(),
                                          dossier_code=dossier_code)

    def confirm(self, request_id: str, dossier_code: str) -> None:
        return None  # issued lines were committed with the dossier

    def void(self, uow: UnitOfWork, register_type: str, year: int, number: int, reason: str,
             officer: str) -> None:
        uow.cert_register.void(self.agency, year, register_type, number, reason, officer, self._clock.now())

    def entries(self, register_type: str, first: date, last: date) -> list[RegisterEntry]:
        with self._read_uow() as uow:
            return uow.cert_register.entries(register_type, first, last)

    def sign(self, uow: UnitOfWork, request_id: str, signed_on: date, signer_name: str, signer_title: str) -> None:
        uow.cert_register.sign(request_id, signed_on, signer_name, signer_title)

    def close_year(self, register_type: str, year: int, *, reason: str | None = None,
                   signer: str | None = None) -> int:
        with self._uow() as uow:
            count = uow.cert_register.close_year(self.agency, year, register_type, self._clock.now(),
                                                 reason=reason, signer=signer)
            uow.commit()
        return count
