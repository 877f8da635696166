"""``python -m ggk``."""

from ggk.cli.program import main

main()
