"""Long population runs show progress on stderr when a person watches it, and only then."""

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios

import pytest

ARGS = ["simulate", "--protocol", "ogtt", "--population", "300", "--vary", "Vmx=0.3", "--seed", "1",
        "--step-min", "10", "--json"]


def irsim(*args, terminal):
    """Run the installed entry point; stderr on a pseudo-terminal when ``terminal``. (stdout, stderr)"""
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    command = [sys.executable, "-c", "from irsim.cli import main; main()", *args]
    if not terminal:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
        return done.stdout, done.stderr
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a new one is 0 columns wide
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=child, text=True, env=env, timeout=120)
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the other end is closed: everything has been read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    return done.stdout, b"".join(chunks).decode(errors="replace")


@pytest.mark.parametrize("terminal,quiet", [(True, False), (True, True), (False, False)])
def test_progress_bar_only_on_a_terminal_and_never_in_the_json(terminal, quiet):
    stdout, stderr = irsim(*ARGS, *(["--quiet"] if quiet else []), terminal=terminal)
    assert json.loads(stdout)["n_patients"] == 300  # stdout is the JSON alone
    shown = "300/300" in stderr and "patient/s" in stderr
    assert shown == (terminal and not quiet), stderr

