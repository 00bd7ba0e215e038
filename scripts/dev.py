#!/usr/bin/env python3
"""Bootstrap the project's virtualenv from the lock files, then run the bot or the test suite.

Usage: python3 scripts/dev.py run [insightbot args...] | test [pytest args...] | install
Needs only Python 3.11+ (and Node.js + npm for the end-to-end tests).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("INSIGHTBOT_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
E2E_DIR = ROOT / "tests" / "e2e"


def _sh(*args: str | Path, cwd: Path = ROOT) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], cwd=cwd, check=True)


def _digest(*paths: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()


def install(dev: bool) -> None:
    """Create .venv and install the pinned dependencies (skipped when the lock is unchanged)."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this script must explain, not crash, on old Pythons
        sys.exit(f"insightbot needs Python 3.11 or newer (this is {sys.version.split()[0]}).")
    if not (BIN / "python").exists():
        print(f"creating virtualenv in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    lock = ROOT / ("requirements-dev.lock" if dev else "requirements.lock")
    stamp = VENV / f".installed-{lock.name}"
    want = _digest(lock, ROOT / "pyproject.toml")
    if not stamp.exists() or stamp.read_text() != want:
        pip = [BIN / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        _sh(*pip, "--require-hashes", "-r", lock)
        _sh(*pip, "--no-deps", "-e", ROOT)
        stamp.write_text(want)
    if dev and (E2E_DIR / "package.json").exists():
        npm = shutil.which("npm")
        if npm is None:
            sys.exit("The end-to-end tests need Node.js 20+ and npm on PATH.")
        lock_js = E2E_DIR / "package-lock.json"
        js_stamp = E2E_DIR / "node_modules" / ".insightbot-stamp"
        js_want = _digest(lock_js) if lock_js.exists() else ""
        if not js_stamp.exists() or js_stamp.read_text() != js_want:
            _sh(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error", cwd=E2E_DIR)
            js_stamp.write_text(js_want)


def run_tests(extra: list[str]) -> int:
    """Quality gates first (cheap, loud), then the whole pytest suite."""
    install(dev=True)
    _sh(BIN / "ruff", "check", "bot", "tests", "scripts", "bench")
    _sh(BIN / "ruff", "format", "--check", "bot", "tests", "scripts", "bench")
    _sh(BIN / "mypy")
    return subprocess.run([str(BIN / "python"), "-m", "pytest", *extra], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "install"}:
        print(__doc__)
        return 2
    cmd, rest = argv[0], argv[1:]
    try:
        if cmd == "install":
            install(dev="--dev" in rest)
            return 0
        if cmd == "test":
            return run_tests(rest)
        install(dev=False)
    except subprocess.CalledProcessError as exc:
        return exc.returncode or 1
    os.execv(str(BIN / "insightbot"), [str(BIN / "insightbot"), *(rest or ["run"])])
    return 0  # pragma: no cover - execv does not return


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
