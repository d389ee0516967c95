"""counter_app: offline-capable software for Vietnamese one-stop-shop reception counters."""

__version__ = "0.1.0"
