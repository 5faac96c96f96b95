"""``python -m symnet``: the symnet command."""

import sys

from symnet.cli import main

sys.exit(main())
