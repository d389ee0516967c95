"""Each benchmark script owns one section of docs/benchmarks.md, between its own markers."""

from __future__ import annotations

from pathlib import Path


def write_section(out: Path, start: str, end: str, section: str, new_heading: str) -> None:
    """Replace the text between ``start`` and ``end`` (``section`` includes both markers); on a
    page that has no such section yet, append ``new_heading`` and the section."""
    out = Path(out)
    text = out.read_text("utf-8") if out.exists() else ""
    if start in text and end in text:
        text = text[:text.index(start)] + section + text[text.index(end) + len(end):]
    else:
        text += new_heading + section + "\n"
    out.write_text(text, "utf-8")
