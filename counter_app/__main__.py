from counter_app import paths
from counter_app.cli import main

paths.private_umask()  # before anything is written (``main`` sets it again for in-process callers)

raise SystemExit(main())
