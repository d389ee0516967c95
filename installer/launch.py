"""The frozen program's entry point: the same as ``python -m counter_app`` (CLI, or the window
when no command is given)."""

import multiprocessing

from counter_app import paths

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen Windows child process must not rerun the CLI
    paths.private_umask()  # before anything is written

    from counter_app.cli import main

    raise SystemExit(main())
