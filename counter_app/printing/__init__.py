"""Official forms rendered with ReportLab from core dataclasses into PDF bytes (the forms issue).
Qt-free: the faces decide whether to save, preview or print."""
