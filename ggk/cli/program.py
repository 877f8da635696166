"""The ``ggk`` program: the console script and ``python -m ggk`` start here.

A run of ggk is short-lived and makes no reference cycles worth collecting: whatever it allocates is
given back when it exits.  Python's cyclic garbage collector would meanwhile walk the interpreter's
objects again and again — the hundreds of thousands that importing Typer and pydantic creates, and a
province's items — which is a tenth of a warm run.  So the program turns it off before anything is
imported (the library, used from another program, leaves it alone)."""

import gc


def main() -> None:
    gc.disable()
    from ggk.cli.app import main as run

    run()
