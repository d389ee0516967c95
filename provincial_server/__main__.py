import sys

from provincial_server.cli import main

sys.exit(main())
