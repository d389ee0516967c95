"""Dossiers taken over from the previous system: the CSV file ``counter-app import-dossiers`` reads.

One row per dossier, columns ``code,procedure_code,received_at,due_at,finished_at,returned_at,
status,channel,applicant_name,id_number`` in any order, plus an optional ``rating`` (1–5, given at
the return) when the previous system kept one (other columns are ignored and named in a warning). A row becomes a :class:`HistoricalDossier`, or a :class:`RowProblem` with the line it
starts on in the file (the header is line 1; a quoted cell spanning lines counts its lines), and a
bad row never stops the good ones.

Times are ISO 8601, with or without an offset (without: Vietnam's wall time). A date without a
time is the start of that day, except ``due_at``: an appointment "on 12/03" means by the close of
office hours that day, so a result given any time that day is on time (a due time of 00:00 would
make every same-day result late).

Pure: the caller reads the bytes and writes the rows (storage/history_import.py).
"""

from __future__ import annotations

import csv
import io
import re
from concurrent.futures import Future, ThreadPoolExecutor
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import PurePath
from typing import Any

from counter_app.core import cccd
from counter_app.core.calendar import TZ
from counter_app.core.errors import ValidationError
from counter_app.core.lifecycle import LABELS_VI, NATIONAL_CODES, Status
from counter_app.core.model import Channel
from counter_app.core.text import clean, fold

# Optional: the rating given at the return, when the previous system kept it (the QĐ 766 ratio).
OPTIONAL = ("rating",)
COLUMNS = ("code", "procedure_code", "received_at", "due_at", "finished_at", "returned_at", "status", "channel",
           "applicant_name", "id_number")
# Who received these dossiers is not in the file: the register says so rather than name the importer.
SYSTEM_OFFICER = "Hệ thống cũ"
BATCH_SIZE = 5_000
EARLIEST = datetime(2000, 1, 1, tzinfo=TZ)  # the provincial server refuses older times
FUTURE_TOLERANCE = timedelta(minutes=5)
# The server's rule for a dossier code (provincial_server/validation.py): a later event on an
# imported dossier carries the code, so a code the server would refuse is refused here first.
_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9._/-]{0,59}$")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_OPEN = frozenset({Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED})
_FINISHED = frozenset({Status.RESULT_READY, Status.RETURNED})

_STATUS_WORDS: dict[str, Status] = {}
for _s in Status:
    _STATUS_WORDS[_s.value] = _s
    _STATUS_WORDS[fold(_s.value)] = _s
    _STATUS_WORDS[fold(LABELS_VI[_s])] = _s
    _STATUS_WORDS[str(NATIONAL_CODES[_s])] = _s
# National codes with no status at a counter: 1 «mới đăng ký» (an online registration not yet
# received) and 6 (financial obligation), which the counter's life cycle does not have.
_NO_COUNTER_STATUS = {"1": "mới đăng ký, chưa tiếp nhận", "6": "chờ thực hiện nghĩa vụ tài chính"}

_CHANNEL_WORDS = {
    "counter": Channel.COUNTER, "truc tiep": Channel.COUNTER, "tai quay": Channel.COUNTER, "1": Channel.COUNTER,
    "post": Channel.POST, "buu chinh": Channel.POST, "qua buu chinh": Channel.POST, "3": Channel.POST,
    "online": Channel.ONLINE, "truc tuyen": Channel.ONLINE, "2": Channel.ONLINE,  # KenhThucHien codes too
}


@dataclass(frozen=True)
class HistoricalDossier:
    """A dossier of the previous system as the counter will store it."""

    line: int
    code: str
    procedure_code: str
    procedure_name: str
    competent_agency: str
    receiving_agency: str
    channel: Channel
    status: Status
    received_at: datetime
    due_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None
    applicant_name: str
    id_number: str | None
    rating: int | None = None


@dataclass(frozen=True)
class RowProblem:
    line: int
    code: str
    reason_vi: str

    def text_vi(self) -> str:
        return f"dòng {self.line}" + (f" (mã {self.code})" if self.code else "") + f": {self.reason_vi}"

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "code": self.code, "reason": self.reason_vi}


@dataclass
class ImportResult:
    source: str
    rows: int = 0
    imported: int = 0
    already_present: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every row is in the store now (imported by this run or an earlier one)."""
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "rows": self.rows, "imported": self.imported,
                "already_present": self.already_present, "skipped": len(self.problems),
                "problems": [p.as_dict() for p in self.problems], "warnings": list(self.warnings)}


@dataclass(frozen=True)
class ImportRules:
    """What a row is checked against: the counter's catalogue and agencies, and the time now."""

    catalogue: Mapping[str, str]  # procedure code → name
    own_agency: str
    agencies: frozenset[str]  # own and served agency codes
    provinces: Mapping[str, str]  # CCCD province codes (core.cccd)
    now: datetime
    closing_time: Callable[[date], time]  # end of office hours on a day (WorkingCalendar.closing_time)


def decode(data: bytes, name: str) -> str:
    """UTF-8 with or without a byte-order mark; anything else is refused before a row is read."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(f"Tệp {name} không phải văn bản UTF-8 (byte lỗi ở vị trí {exc.start}); hãy lưu "
                              "lại tệp CSV với mã hóa UTF-8 rồi nhập lại. Chưa nhập hồ sơ nào.",
                              f"not UTF-8: {exc}") from None


class _Bad(Exception):
    def __init__(self, reason_vi: str) -> None:
        super().__init__(reason_vi)
        self.reason_vi = reason_vi


class HistoryFile:
    """The file's header, checked at once (a missing column stops everything, before any write),
    and its rows, read lazily so a large file is never held twice in memory."""

    def __init__(self, text: str, rules: ImportRules, name: str = "") -> None:
        self.rules = rules
        self._reader = csv.reader(io.StringIO(text, newline=""), strict=False)
        try:
            header = next(self._reader)
        except StopIteration:
            raise ValidationError(f"Tệp {name} trống: không có dòng tiêu đề.", "empty file") from None
        except csv.Error as exc:
            raise ValidationError(f"Dòng tiêu đề của tệp {name} không đọc được.", str(exc)) from None
        names = [clean(h).lower() for h in header]
        doubled = sorted({n for n in names if n and names.count(n) > 1})
        if doubled:
            raise ValidationError(f"Tiêu đề có cột trùng tên: {', '.join(doubled)}. Chưa nhập hồ sơ nào.",
                                  "duplicate columns")
        missing = [c for c in COLUMNS if c not in names]
        if missing:
            raise ValidationError(f"Tệp {name} thiếu cột: {', '.join(missing)} (cần đủ các cột "
                                  f"{','.join(COLUMNS)}). Chưa nhập hồ sơ nào.", f"missing columns: {missing}")
        self.index = {c: names.index(c) for c in COLUMNS}
        self.width = max(self.index.values()) + 1  # cells after the last needed column may be left off
        self.index.update({c: names.index(c) for c in OPTIONAL if c in names})
        extra = [h for h in names if h and h not in COLUMNS and h not in OPTIONAL]
        self.warnings = [f"Bỏ qua các cột không dùng đến: {', '.join(extra)}."] if extra else []

    def rows(self) -> Iterator[HistoricalDossier | RowProblem]:
        seen: dict[str, int] = {}
        line = self._reader.line_num + 1  # where the next record starts
        while True:
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error as exc:  # e.g. a NUL byte: the record is lost, the next one still counts
                yield RowProblem(line, "", f"dòng không đọc được theo định dạng CSV ({exc}).")
                line = self._reader.line_num + 1
                continue
            start, line = line, self._reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue  # a blank line, usually at the end
            code = _text(cells[self.index["code"]], "code").upper() if len(cells) > self.index["code"] else ""
            try:
                if len(cells) < self.width:
                    raise _Bad(f"dòng chỉ có {len(cells)} ô, thiếu ô cho các cột cần nhập.")
                dossier = self._dossier(start, code, cells)
            except _Bad as bad:
                yield RowProblem(start, code, bad.reason_vi)
                continue
            if code in seen:
                yield RowProblem(start, code, f"mã hồ sơ trùng với dòng {seen[code]} (chỉ nhập lần xuất hiện đầu).")
                continue
            seen[code] = start
            yield dossier

    # -- one row -------------------------------------------------------------------------------
    def _dossier(self, line: int, code: str, cells: list[str]) -> HistoricalDossier:
        r = self.rules
        cell = {c: cells[i] if i < len(cells) else "" for c, i in self.index.items()}
        if not code:
            raise _Bad("thiếu mã hồ sơ (cột code).")
        if not _CODE_RE.match(code):
            raise _Bad(f"mã hồ sơ «{code[:70]}» không hợp lệ (chữ, số và . _ / -, tối đa 60 ký tự).")
        procedure = _text(cell["procedure_code"], "procedure_code")
        if not procedure:
            raise _Bad("thiếu mã thủ tục (cột procedure_code).")
        if procedure not in r.catalogue:
            raise _Bad(f"thủ tục «{procedure[:40]}» không có trong danh mục thủ tục của quầy.")
        received = self._time(cell["received_at"], "received_at")
        if received is None:
            raise _Bad("thiếu thời điểm tiếp nhận (cột received_at).")
        due = self._time(cell["due_at"], "due_at", due=True)
        finished = self._time(cell["finished_at"], "finished_at")
        returned = self._time(cell["returned_at"], "returned_at")
        status = _status(cell["status"])
        for value, column in ((received, "received_at"), (finished, "finished_at"), (returned, "returned_at")):
            if value is not None and value > r.now + FUTURE_TOLERANCE:
                raise _Bad(f"{column} ở tương lai ({value:%d/%m/%Y %H:%M}).")
        if status is Status.RETURNED and returned is None:
            raise _Bad("trạng thái «Đã trả kết quả» cần thời điểm trả (cột returned_at).")
        if returned is not None and status is not Status.RETURNED:
            raise _Bad(f"có thời điểm trả kết quả nhưng trạng thái là «{status.label_vi}».")
        if status is Status.RETURNED and finished is None:
            finished = returned  # a result handed over at once
        if finished is not None and status not in _FINISHED:
            raise _Bad(f"có thời điểm có kết quả (finished_at) nhưng trạng thái là «{status.label_vi}»"
                       + (", hồ sơ chưa giải quyết xong." if status in _OPEN else ", không có kết quả giải quyết."))
        if status is Status.RESULT_READY and finished is None:
            raise _Bad("trạng thái «Đã có kết quả» cần thời điểm có kết quả (cột finished_at).")
        if due is not None and due < received:
            raise _Bad("hạn trả (due_at) trước thời điểm tiếp nhận.")
        if finished is not None and finished < received:
            raise _Bad("thời điểm có kết quả (finished_at) trước thời điểm tiếp nhận.")
        if returned is not None and finished is not None and returned < finished:
            raise _Bad("thời điểm trả kết quả (returned_at) trước thời điểm có kết quả (finished_at).")
        name = _text(cell["applicant_name"], "applicant_name")
        if not name:
            raise _Bad("thiếu họ tên người nộp (cột applicant_name).")
        if len(name) > 200:
            raise _Bad("họ tên người nộp quá dài (tối đa 200 ký tự).")
        id_number = _text(cell["id_number"], "id_number").replace(" ", "") or None
        if id_number:
            problems = cccd.id_problems(id_number, r.provinces, today=r.now.date())
            if problems:
                raise _Bad(f"số định danh «{id_number[:20]}» không hợp lệ: {' '.join(problems)}")
        channel = _channel(cell["channel"])
        rating = _rating(cell.get("rating", ""), status)
        prefix = code.split("-", 1)[0]
        return HistoricalDossier(
            line=line, code=code, procedure_code=procedure, procedure_name=r.catalogue[procedure],
            competent_agency=prefix if prefix in r.agencies else r.own_agency, receiving_agency=r.own_agency,
            channel=channel, status=status, received_at=received, due_at=due, finished_at=finished,
            returned_at=returned, applicant_name=name, id_number=id_number, rating=rating)

    def _time(self, raw: str, column: str, *, due: bool = False) -> datetime | None:
        text = raw.strip()
        if not text:
            return None
        try:
            if _DATE_ONLY.match(text):
                day = date.fromisoformat(text)
                value = datetime.combine(day, self.rules.closing_time(day) if due else time(0), TZ)
            else:
                value = datetime.fromisoformat(text.replace(" ", "T", 1))
                value = value.replace(tzinfo=TZ) if value.tzinfo is None else value.astimezone(TZ)
        except ValueError:
            raise _Bad(f"{column} «{text[:40]}» không phải thời điểm ISO 8601 (YYYY-MM-DD hoặc "
                       "YYYY-MM-DDTHH:MM[:SS][+07:00]).") from None
        if value < EARLIEST:
            raise _Bad(f"{column} {value:%d/%m/%Y} trước năm 2000.")
        return value


def _text(raw: str, column: str) -> str:
    if raw.isascii() and raw.isprintable():  # clean() would only collapse the spaces: skip its regexes
        return " ".join(raw.split())
    try:
        return clean(raw)
    except ValidationError:
        raise _Bad(f"cột {column} có ký tự không đọc được.") from None


def _rating(raw: str, status: Status) -> int | None:
    """The optional ``rating`` column: the citizen's 1–5 at the return, as the counter records it."""
    raw = raw.strip()
    if not raw:
        return None
    if raw not in ("1", "2", "3", "4", "5"):
        raise _Bad(f"mức đánh giá «{raw[:10]}» phải là số từ 1 đến 5 (cột rating).")
    if status is not Status.RETURNED:
        raise _Bad("có mức đánh giá (rating) nhưng hồ sơ chưa trả kết quả: đánh giá ghi khi trả.")
    return int(raw)


def _status(raw: str) -> Status:
    found = _STATUS_WORDS.get(raw.strip())
    if found is not None:
        return found
    text = _text(raw, "status")
    if not text:
        raise _Bad("thiếu trạng thái (cột status).")
    key = fold(text)
    if key in _STATUS_WORDS:
        return _STATUS_WORDS[key]
    if key in _NO_COUNTER_STATUS:
        raise _Bad(f"trạng thái mã {key} ({_NO_COUNTER_STATUS[key]}) không có ở quầy.")
    raise _Bad(f"trạng thái «{text[:40]}» không hợp lệ (dùng received, processing, …, mã 2–10 hoặc "
               "tên tiếng Việt như «Đã trả kết quả»).")


def _channel(raw: str) -> Channel:
    found = _CHANNEL_WORDS.get(raw.strip())
    if found is not None:
        return found
    text = _text(raw, "channel")
    if not text:
        return Channel.COUNTER
    found = _CHANNEL_WORDS.get(fold(text))
    if found is None:
        raise _Bad(f"kênh nộp «{text[:40]}» không hợp lệ (counter/trực tiếp, post/bưu chính, online/trực tuyến).")
    return found


def imported_payload(d: HistoricalDossier, source: str) -> dict[str, Any]:
    """The "imported" event's payload: where the dossier came from (shown in its history)."""
    return {"source": source, "line": d.line, "note": f"nhập từ tệp {source}, dòng {d.line}"}


class HistoryImportService:
    """Reads a file of the previous system and stores its good rows, ``BATCH_SIZE`` per transaction
    (a crash half-way keeps the batches committed; running the import again adds only the rest).

    The next batch is read and checked while the previous one is written: SQLite does its share
    (most of it the name index) without holding Python's lock, so on two cores the import takes
    about the longer of the two instead of their sum. One writer thread, one batch in flight."""

    def __init__(self, uow_factory: Callable[[], Any], read_uow: Callable[[], Any], ctx, clock,
                 read_file: Callable[[str], bytes]) -> None:
        self._uow, self._read_uow, self.ctx, self.clock, self._read_file = uow_factory, read_uow, ctx, clock, read_file

    def import_file(self, path: str, officer: str,
                    progress: Callable[[ImportResult], None] | None = None) -> ImportResult:
        source = PurePath(str(path)).name
        data = self._read_file(str(path))
        now = self.clock.now()
        with self._read_uow() as uow:
            catalogue = {p.code: p.name for p in uow.catalogue.all(include_closed=True)}
        ctx = self.ctx
        rules = ImportRules(catalogue=catalogue, own_agency=ctx.settings.agency.code,
                            agencies=frozenset(a.code for a in ctx.agencies), provinces=ctx.provinces, now=now,
                            closing_time=ctx.calendar.closing_time)
        history = HistoryFile(decode(data, source), rules, source)  # a bad header stops here: nothing written
        del data
        result = ImportResult(source, warnings=list(history.warnings))
        writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="history-import")
        in_flight: tuple[Future, int] | None = None
        try:
            for batch in _batches(history, result):
                if in_flight is not None:
                    self._settle(*in_flight, result, progress)
                in_flight = writer.submit(self._store, batch, officer, source, now), len(batch)
            if in_flight is not None:
                self._settle(*in_flight, result, progress)
        finally:
            writer.shutdown(wait=True, cancel_futures=True)  # a batch being written still commits whole
        return result

    def _store(self, batch: list[HistoricalDossier], officer: str, source: str, now: datetime) -> int:
        with self._uow() as uow:
            added = uow.history.add_batch(batch, officer=officer, source=source, at=now)
            uow.commit()
        return added

    @staticmethod
    def _settle(done: Future, size: int, result: ImportResult, progress) -> None:
        added = done.result()  # the writer's error, if any, stops the import here
        result.imported += added
        result.already_present += size - added
        if progress is not None:
            progress(result)


def _batches(history: HistoryFile, result: ImportResult) -> Iterator[list[HistoricalDossier]]:
    batch: list[HistoricalDossier] = []
    for item in history.rows():
        result.rows += 1
        if isinstance(item, RowProblem):
            result.problems.append(item)
            continue
        batch.append(item)
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch
