"""Run one `build.py` command in this process and SIGKILL it at the n-th change a commit makes to
the file system, for tests/test_faults.py.

    python tests/fault_injection.py --kill-at 7 [--no-exchange] -- build --content ... --output ...

Every call that changes the file system during the commit (rename, replace, link, unlink,
mkdir, rmdir, the directory exchange, rmtree) counts as one step. `--kill-at 0` kills nothing
and prints the number of steps the commit took and which of them are the swap itself ("steps 110
critical 61 63"), so a test can then kill at each.
`--no-exchange` makes the build behave as on a system without renameat2(RENAME_EXCHANGE).
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.build import write  # noqa: E402
from generator.cli import main  # noqa: E402

MUTATING = ("rename", "replace", "link", "unlink", "rmdir", "mkdir")


def arm(kill_at: int) -> dict:
    state = {"counting": False, "steps": 0}

    def counted(function):
        def step(*args, **kwargs):
            if state["counting"]:
                state["steps"] += 1
                if state["steps"] == kill_at:
                    os.kill(os.getpid(), signal.SIGKILL)
            return function(*args, **kwargs)
        return step

    for name in MUTATING:
        setattr(os, name, counted(getattr(os, name)))
    shutil.rmtree = counted(shutil.rmtree)
    write._exchange = counted(write._exchange)
    commit = write.OutputTransaction.commit

    def counting_commit(self, *args):
        state["counting"] = True
        try:
            return commit(self, *args)
        finally:
            state["counting"] = False

    write.OutputTransaction.commit = counting_commit
    # Where the irreversible part starts and ends, so a test can kill at every step of it and
    # at a sample of the others (linking unchanged files before, removing the old tree after).
    for name in ("_swap", "_commit_in_place"):
        def critical(self, _inner=getattr(write.OutputTransaction, name)):
            state["critical"] = [state["steps"] + 1, None]
            try:
                return _inner(self)
            finally:
                state["critical"][1] = state["steps"]
        setattr(write.OutputTransaction, name, critical)
    return state


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--kill-at", type=int, required=True)
    parser.add_argument("--no-exchange", action="store_true")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    if options.no_exchange:
        write._renameat2 = None
    state = arm(options.kill_at)
    code = main([a for a in options.command if a != "--"])
    first, last = state.get("critical", (0, 0))
    print(f"steps {state['steps']} critical {first} {last}", file=sys.stderr)
    sys.exit(code)
