"""The Báo cáo screen's «Biểu đồ» tab: four charts of the report, drawn by matplotlib.

matplotlib is not imported with the window: most officers never open the tab, and its import takes
a second or two. It is imported in the background once the first report is shown (so opening the
tab does not freeze the window), or when the tab is first drawn if that comes sooner. Its text uses
the bundled Liberation Sans (the window's font), registered with its font manager, so ơ ư ạ never
draw as boxes on a machine without Vietnamese fonts."""

from __future__ import annotations

import textwrap
import threading
from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from counter_app import paths
from counter_app.core.report_tables import bands, by_procedure, format_cell, levels
from counter_app.ui.operations import Op, op

FONT_FILES = ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf")  # the window's own font
FONT_FAMILY = "Liberation Sans"
TOP = 10  # procedures in the volume chart
NAME_CHARS = 55  # a procedure's name in the chart; the tables have it whole
_COLOURS = {"bar": "#3f73b3", "early": "#2e8b57", "on_time": "#3f73b3", "late": "#c0392b", "overdue": "#e67e22"}
_lock = threading.Lock()
_fonts_ready = False


def register_chart_fonts() -> None:
    """Once per process, on any thread: matplotlib and its Qt canvas imported, the bundled font in
    its font manager, and the charts' defaults."""
    global _fonts_ready
    with _lock:
        if _fonts_ready:
            return
        import matplotlib
        import matplotlib.backends.backend_qtagg  # noqa: F401  (the slow part of the first draw)
        from matplotlib import font_manager

        for name in FONT_FILES:
            font_manager.fontManager.addfont(str(paths.resource_path("resources", "fonts", name)))
        matplotlib.rcParams.update({"font.family": FONT_FAMILY, "font.size": 9, "axes.titlesize": 10,
                                    "axes.titleweight": "bold", "axes.spines.top": False,
                                    "axes.spines.right": False})
        _fonts_ready = True


def _number(value: float, _pos: Any = None) -> str:
    return format_cell(int(value), "int")


def _shorten(text: str, limit: int = NAME_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _two_lines(label: str) -> str:
    """An axis label under a narrow bar: "Từ 10.000 hồ sơ", "1.000 – 9.999" on two lines."""
    if len(label) <= 12:
        return label
    if " – " in label:
        return label.replace(" – ", " –\n", 1)
    return textwrap.fill(label, len(label) // 2 + 2)


def _bars(ax, labels: list[str], values: list[int], title: str, colours: list[str] | str) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    bars = ax.bar(range(len(values)), values, color=colours, width=0.6)
    ax.set_xticks(range(len(labels)), labels)
    ax.set_title(title, loc="left")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.yaxis.set_major_formatter(FuncFormatter(_number))
    ax.bar_label(bars, labels=[_number(v) for v in values], padding=2, fontsize=8)
    ax.margins(y=0.18)


def draw_report(figure, report: dict[str, Any]) -> None:
    """The four charts on ``figure`` (cleared first): procedures per volume band, dossiers per
    online level, the ten procedures with most dossiers, and timeliness. Labels come from the
    report's tables, so the charts name things as the tables and the exported files do."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    figure.clear()
    # Two sub-figures: one grid would align the small charts' axes with the long names of the
    # ten procedures below, leaving them a third of their width.
    upper, lower = figure.subfigures(2, 1, height_ratios=(1, 1.2))
    first, second, third = upper.subplots(1, 3)
    band_table, level_table = bands(report), levels(report)
    _bars(first, [_two_lines(r[0]) for r in band_table.rows], [r[1] for r in band_table.rows],
          "Số thủ tục theo nhóm số lượng hồ sơ", _COLOURS["bar"])
    _bars(second, [_two_lines(r[0]) for r in level_table.rows], [r[2] for r in level_table.rows],
          "Số hồ sơ theo mức độ trực tuyến", _COLOURS["bar"])
    t = report["timeliness"]
    _bars(third, ["Trước hạn", "Đúng hạn", "Quá hạn", "Đang giải quyết\nquá hạn"],
          [t["early"], t["on_time"], t["late"], t["open_overdue"]], "Tiến độ giải quyết",
          [_COLOURS[k] for k in ("early", "on_time", "late", "overdue")])
    ax = lower.subplots()
    top = by_procedure(report).rows[:TOP]
    names = [f"{_shorten(r[2])} ({r[1]})" for r in top]  # the code stays when a long name is cut
    counts = [r[3] for r in top]
    bars = ax.barh(range(len(top)), counts, color=_COLOURS["bar"], height=0.65)
    ax.set_yticks(range(len(top)), names, fontsize=8)
    ax.invert_yaxis()  # the largest first, as in the table
    ax.set_title(f"{min(TOP, len(top))} thủ tục có nhiều hồ sơ nhất" if top else "Chưa có hồ sơ trong kỳ",
                 loc="left")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=8))
    ax.xaxis.set_major_formatter(FuncFormatter(_number))
    ax.bar_label(bars, labels=[_number(v) for v in counts], padding=3, fontsize=8)
    ax.margins(x=0.08)


class ReportCharts(QWidget):
    """The canvas is made, and matplotlib imported, the first time the tab is drawn."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.canvas = None
        self.report: dict[str, Any] | None = None
        self.warming: Op | None = None
        self._stale = False
        self.hint = QLabel("Lập báo cáo để xem biểu đồ.")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.hint)

    def show_report(self, report: dict[str, Any]) -> None:
        self.report, self._stale = report, True
        if self.isVisible():
            self.draw()
        elif not _fonts_ready and self.warming is None:
            self.warming = op(None, register_chart_fonts).run()

    def draw(self) -> None:
        if self.report is None or not self._stale:
            return
        if self.canvas is None:
            register_chart_fonts()
            from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
            from matplotlib.figure import Figure

            self.canvas = FigureCanvasQTAgg(Figure(layout="constrained", facecolor="white"))
            self.canvas.setMinimumHeight(420)
            self.hint.hide()
            self._layout.addWidget(self.canvas, 1)
        draw_report(self.canvas.figure, self.report)
        self.canvas.draw()
        self._stale = False

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.draw()
