"""Pure-Python domain core: dataclasses, legal rules, services and ports. No I/O libraries here."""
