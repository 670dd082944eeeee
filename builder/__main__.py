"""`python -m builder` is the same as the `briefing` console script."""

import sys

from builder.cli import main

sys.exit(main())
