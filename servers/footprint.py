#!/usr/bin/env python3
"""Deployable size in bytes of files and folders, as a slim container image
would carry them; used by servers/build.sh for manifest.json.

    footprint.py [--stdlib] PATH...

- Each file counts once (hard links, repeated paths); symbolic links inside
  folders count as links, not followed; the PATHs themselves are resolved.
- ELF files count as stripped (`strip --strip-all`), as the Go servers are
  built with -ldflags "-s -w": otherwise a toolchain that happens to ship debug
  information (a pyenv-built libpython, a Node binary) would weigh in at
  several times what a deployment carries. Without `strip`, raw sizes.
- --stdlib: a Python standard library folder without what a slim image drops:
  site-packages/dist-packages, test suites, bytecode caches, the static
  libpython (as the official Python images do).
"""

import os
import shutil
import stat
import subprocess
import sys
import tempfile

STDLIB_SKIP_DIRS = {"site-packages", "dist-packages", "test", "tests", "idle_test", "__pycache__"}


def is_elf(path):
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def stripped_size(path, strip, scratch):
    target = os.path.join(scratch, "stripped")
    result = subprocess.run([strip, "--strip-all", "-o", target, path],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if result.returncode != 0:
        return os.path.getsize(path)
    size = os.path.getsize(target)
    os.unlink(target)
    return size


def main(argv):
    stdlib = "--stdlib" in argv
    paths = [a for a in argv if a != "--stdlib"]
    if not paths:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    strip = shutil.which("strip")
    seen = set()
    total = 0
    with tempfile.TemporaryDirectory() as scratch:
        def add(path):
            nonlocal total
            info = os.lstat(path)
            if (info.st_dev, info.st_ino) in seen:
                return
            seen.add((info.st_dev, info.st_ino))
            if stat.S_ISREG(info.st_mode) and strip and info.st_size > 4096 and is_elf(path):
                total += stripped_size(path, strip, scratch)
            else:
                total += info.st_size

        for root_arg in paths:
            root = os.path.realpath(root_arg)
            if not os.path.exists(root):
                print(f"footprint.py: {root_arg} does not exist", file=sys.stderr)
                return 1
            if not os.path.isdir(root):
                add(root)
                continue
            for folder, dirs, files in os.walk(root):
                if stdlib:
                    dirs[:] = [d for d in dirs if d not in STDLIB_SKIP_DIRS]
                    files = [f for f in files if not f.endswith((".pyc", ".pyo"))
                             and not (f.startswith("libpython") and f.endswith(".a"))]
                add(folder)
                for name in files:
                    add(os.path.join(folder, name))
    print(total)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
