"""Outbox delivery to the provincial server (requests, keyring). Qt-free; the engine arrives with
the sync issue. Only core and storage may be imported from here."""
