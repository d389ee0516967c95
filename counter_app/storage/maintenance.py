"""``check``: integrity, foreign keys, search index and migration state, read-only."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from counter_app.paths import database_path
from counter_app.storage import cipher
from counter_app.storage.migrate import current_revision, head_revision


@dataclass
class CheckReport:
    database: str
    exists: bool
    integrity: str = "not run"
    encrypted: bool = False
    foreign_key_problems: int = 0
    search_index: str = "not run"
    revision: str | None = None
    head: str | None = None
    dossiers: int = 0
    pending_outbox: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # worth an administrator's attention, not damage
    notes: list[str] = field(default_factory=list)  # information, not problems (e.g. the event chain)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {**self.__dict__, "ok": self.ok}

    def text(self) -> str:
        head = "Cơ sở dữ liệu ổn." if self.ok else "Cơ sở dữ liệu có vấn đề:"
        lines = [head, f"  Tệp: {self.database} ({'đã mã hóa' if self.encrypted else 'CHƯA mã hóa'})", f"  Lược đồ: {self.revision} (mới nhất: {self.head})",
                 f"  Toàn vẹn: {self.integrity}; chỉ mục tìm kiếm: {self.search_index}",
                 f"  Hồ sơ: {self.dossiers}; sự kiện chờ đồng bộ: {self.pending_outbox}"]
        lines += [f"  {n}" for n in self.notes] + [f"  - {p}" for p in self.problems]
        lines += [f"  ! {w}" for w in self.warnings]
        return "\n".join(lines)


def check_database(data_dir: Path, migrations: Path) -> CheckReport:
    db = database_path(data_dir)
    report = CheckReport(database=str(db), exists=db.exists(), head=head_revision(migrations))
    if not report.exists:
        report.problems.append("Không tìm thấy tệp cơ sở dữ liệu (chưa khởi tạo quầy?).")
        return report
    from counter_app.storage.backup import integrity_problem

    report.encrypted = cipher.is_encrypted(db)
    try:
        key = cipher.key_for(db)
    except cipher.KeyMissing as exc:
        report.integrity = "no key"
        report.problems.append(exc.message + " Nếu quầy chưa từng được mã hóa thì tệp đã hỏng hoặc không phải "
                               "cơ sở dữ liệu: khôi phục từ bản sao lưu (counter-app restore TỆP).")
        return report
    if key is None and not report.encrypted:
        report.warnings.append("Cơ sở dữ liệu chưa được mã hóa: dữ liệu công dân đọc được nếu lấy được tệp. "
                               "Quản trị viên chạy: counter-app encrypt.")
    problem = integrity_problem(db, deep=False, key=key)
    if problem:  # a truncated, damaged or foreign file: say so instead of failing half-way
        report.integrity = problem
        report.problems.append(f"Tệp cơ sở dữ liệu hỏng hoặc không phải cơ sở dữ liệu của quầy ({problem}); "
                               "khôi phục từ bản sao lưu: counter-app restore TỆP.")
        return report
    report.revision = current_revision(db)
    if report.revision != report.head:
        report.problems.append(f"Lược đồ ở phiên bản {report.revision}, cần nâng cấp lên {report.head} "
                               "(mở ứng dụng để nâng cấp; bản sao lưu được tạo trước).")
    # Read-write mode (FTS5's integrity-check needs it) but never create: the file exists.
    con = cipher.connect(db, key, mode="rw")
    try:
        con.execute("PRAGMA busy_timeout=15000")
        rows = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
        report.integrity = "ok" if rows == ["ok"] else "; ".join(rows[:5])
        if rows != ["ok"]:
            report.problems.append(f"PRAGMA integrity_check: {report.integrity}")
        report.foreign_key_problems = len(con.execute("PRAGMA foreign_key_check").fetchall())
        if report.foreign_key_problems:
            report.problems.append(f"{report.foreign_key_problems} dòng vi phạm khóa ngoại.")
        if report.revision is not None:
            try:
                con.execute("INSERT INTO dossier_fts(dossier_fts, rank) VALUES('integrity-check', 1)")
                report.search_index = "ok"
            except cipher.DatabaseError as exc:
                report.search_index = str(exc)
                report.problems.append(f"Chỉ mục tìm kiếm họ tên hỏng ({exc}); cần dựng lại.")
            report.dossiers = con.execute("SELECT count(*) FROM dossier").fetchone()[0]
            report.pending_outbox = con.execute(
                "SELECT count(*) FROM outbox WHERE state != 'delivered'").fetchone()[0]
        if report.revision == report.head:  # an older schema has no chain columns yet
            from counter_app.storage.chain import verify

            found = verify(con)
            report.problems += found.problems
            report.notes += found.notes()
    except cipher.DatabaseError as exc:  # damage integrity_check did not see, or a missing table
        report.problems.append(f"Không đọc được cơ sở dữ liệu ({exc}); khôi phục từ bản sao lưu.")
    finally:
        con.close()
    return report


def idle_maintenance(db_path: Path, merge_pages: int = 200) -> dict:
    """Housekeeping for a quiet moment at the counter, so it does not land inside an officer's
    commit: merge name-index segments (FTS5 ``merge``) and copy the WAL into the database
    (``wal_checkpoint(PASSIVE)``, which never waits for readers or writers)."""
    con = cipher.open_store(db_path, isolation_level=None)
    try:
        con.execute("PRAGMA busy_timeout=2000")
        before = con.total_changes
        con.execute("INSERT INTO dossier_fts(dossier_fts, rank) VALUES('merge', ?)", (merge_pages,))
        merged = con.total_changes - before
        busy, wal_pages, checkpointed = con.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    except cipher.OperationalError as exc:  # busy: try again at the next quiet moment
        return {"done": False, "reason": str(exc)}
    finally:
        con.close()
    return {"done": True, "merge_work": merged, "wal_pages": wal_pages, "checkpointed": checkpointed,
            "busy": bool(busy)}
