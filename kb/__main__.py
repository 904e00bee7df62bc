"""``python -m kb``: lint, search and eval."""

import sys

from kb.cli import main

sys.exit(main())
