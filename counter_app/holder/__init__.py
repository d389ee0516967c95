"""The office's certification register holder: a small service on the machine that holds the
registers, and the client the other desks use. Qt-free; only core and storage below it."""
