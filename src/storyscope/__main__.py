"""``python -m storyscope`` runs the CLI."""

import sys

from storyscope.cli import main

sys.exit(main())
