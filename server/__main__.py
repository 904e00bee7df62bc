"""``python -m server``: users and API tokens."""

import sys

from server.cli import main

sys.exit(main())
