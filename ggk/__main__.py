"""``python -m ggk``."""

from ggk.cli.app import main

main()
