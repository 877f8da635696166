"""The ``ggk`` program: the console script and ``python -m ggk`` start here.

Runs the command, then makes sure its output got out: output that could not be written (a full disk
under ``ggk status > file``) is an error with exit code 2, never a silent 0; a reader that went away
(``ggk list | head``) is not an error.

The program runs without Python's cyclic garbage collector.  A run is short and makes no reference
cycles worth collecting, while the collector would walk every object of the workspace again and
again as models are built (a deadline report over a province's plans builds a hundred thousand:
what that costs is in tests/bench/README.md).  This is the program's choice for its own process:
the library, used by another program, leaves the collector alone."""

import gc
import os
import sys


def main() -> None:
    gc.disable()
    from ggk.cli.app import app_for

    try:
        app_for(sys.argv[1:])(prog_name="ggk")
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message"): shown, and status 1, as Python does
        print(code, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader of a pipe went away: what it wanted, it had
        _discard_stdout()
    except (OSError, ValueError) as exc:
        _discard_stdout()
        if not code:  # (a command that already failed to write has said so)
            print(f"错误：输出未能写完：{exc}", file=sys.stderr)
            code = 2
    sys.exit(code)


def _discard_stdout() -> None:
    """Point stdout at the null device, so that the interpreter's last flush has nowhere to fail."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
