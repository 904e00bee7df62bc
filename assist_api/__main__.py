"""``python -m assist_api``: users and API tokens."""

import sys

from assist_api.cli import main

sys.exit(main())
