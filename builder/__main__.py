"""`python -m builder` is the same as the `briefing` console script."""

from builder.cli import run

run()
