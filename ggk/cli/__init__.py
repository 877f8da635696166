"""The command-line interface: a thin Typer skin over the library (one module per command)."""
