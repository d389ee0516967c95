"""counter_app: offline-capable software for Vietnamese one-stop-shop reception counters."""

__version__ = "0.1.0"
PRODUCT_NAME = "Phần mềm quầy Một cửa"  # the About box, the desktop entry, the installers
