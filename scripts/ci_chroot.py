"""A cached Debian testing (forky) chroot for running the suite on Debian's newest Python.

Built once with ``debootstrap --variant=minbase`` (about 1.5 minutes, ~450 MB) and reused while
healthy. A session copies the checkout to ``/work/src`` inside, mounts ``/proc`` and ``/dev``
and always unmounts them again, also on an error or SIGTERM: a ``rm -rf`` of a chroot with
``/dev`` still bound would delete the host's device nodes, so nothing here deletes a directory
that still has a mount under it, and deletion never crosses file systems.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

SUITE = "forky"
PACKAGES = "python3,python3-venv,git,ca-certificates"
DEFAULT_MIRROR = "http://deb.debian.org/debian"
MARKER = ".potato-sandbox-chroot"
HOST_CA = Path("/etc/ssl/certs/ca-certificates.crt")
CHROOT_CA = "/etc/ssl/certs/host-ca-bundle.crt"


class ChrootError(Exception):
    """The chroot could not be built, checked or used."""


def mounts_under(root: Path) -> list[str]:
    """Mount points at or below ``root``, deepest first (the order to unmount them in)."""
    base = str(root.resolve())
    found = []
    for line in Path("/proc/self/mounts").read_text().splitlines():
        target = line.split()[1].replace("\\040", " ")
        if target == base or target.startswith(base + "/"):
            found.append(target)
    return sorted(found, key=len, reverse=True)


def unmount_all(root: Path) -> None:
    """Unmount everything below ``root``; raise if anything is still mounted afterwards."""
    for target in mounts_under(root):
        if subprocess.run(["umount", target], capture_output=True, check=False).returncode:
            subprocess.run(["umount", "-l", target], capture_output=True, check=False)
    left = mounts_under(root)
    if left:
        raise ChrootError(f"still mounted, not touching {root}: {', '.join(left)}")


def remove_tree(root: Path) -> None:
    """Delete a chroot: unmount first, and never cross into another file system."""
    if not root.exists():
        return
    unmount_all(root)
    subprocess.run(["rm", "-rf", "--one-file-system", str(root)], check=True)


def apt_mirror(sources: Path = Path("/etc/apt")) -> str:
    """The machine's Debian mirror from its apt sources (deb822 or one-line), else the default."""
    uris: list[str] = []
    for path in sorted(sources.glob("sources.list.d/*.sources")):
        uris += re.findall(r"^URIs:\s*(\S+)", path.read_text(), flags=re.M)
    for path in [sources / "sources.list", *sorted(sources.glob("sources.list.d/*.list"))]:
        if path.is_file():
            uris += re.findall(r"^deb\s+(?:\[[^\]]*\]\s+)?(\S+)", path.read_text(), flags=re.M)
    for uri in uris:
        if uri.rstrip("/").endswith("/debian"):
            return uri.rstrip("/")
    return DEFAULT_MIRROR


class Chroot:
    """The forky chroot at ``root``: checked, built when needed, and entered in sessions."""

    def __init__(self, root: Path, log: Path, say: Callable[[str], None] = print) -> None:
        self.root = root
        self.log = log
        self.say = say

    def ensure(self, expect_python: str) -> None:
        """Make sure a healthy chroot with Python ``expect_python`` is there; build one if not."""
        self.root.parent.mkdir(parents=True, exist_ok=True)
        with self._locked():
            problem = self.problem(expect_python)
            if problem is None:
                self.say(f"reusing the chroot at {self.root}")
                return
            self.say(f"building the chroot at {self.root} ({problem})")
            self._build()
            problem = self.problem(expect_python)
            if problem is not None:
                raise ChrootError(f"the freshly built chroot is not usable: {problem}")

    def problem(self, expect_python: str) -> str | None:
        """Why the chroot cannot be used as it is, or None if it can."""
        if not (self.root / MARKER).is_file():
            return "no finished chroot there"
        check = ("import ensurepip, ssl, sys, venv; "
                 "print('%d.%d' % sys.version_info[:2])")
        out = subprocess.run(["chroot", str(self.root), "/usr/bin/python3", "-c", check],
                             capture_output=True, text=True, check=False)
        if out.returncode != 0:
            return f"its python3 does not run: {out.stderr.strip()[-300:]}"
        if out.stdout.strip() != expect_python:
            return f"its python3 is {out.stdout.strip()}, not {expect_python}"
        if not (self.root / "usr/bin/git").exists():
            return "git is missing"
        return None

    def _build(self) -> None:
        if os.geteuid() != 0:
            raise ChrootError("building the chroot needs root (debootstrap, chroot, mount)")
        self._install_debootstrap()
        staging = self.root.with_name(self.root.name + ".build")
        remove_tree(staging)
        mirror = apt_mirror()
        cmd = ["debootstrap", "--variant=minbase", f"--include={PACKAGES}", SUITE,
               str(staging), mirror, "/usr/share/debootstrap/scripts/sid"]
        started = time.monotonic()
        with self.log.open("a") as out:
            out.write(f"$ {' '.join(cmd)}\n")
            out.flush()
            done = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, check=False)
        unmount_all(staging)  # debootstrap mounts /proc and /sys itself; a failure may leave them
        if done.returncode != 0:
            tail = "\n".join(self.log.read_text(errors="replace").splitlines()[-15:])
            raise ChrootError(f"debootstrap failed (exit {done.returncode}):\n{tail}")
        (staging / MARKER).write_text(f"{SUITE} from {mirror}, built {time.ctime()}\n")
        remove_tree(self.root)
        staging.rename(self.root)
        self.say(f"built in {time.monotonic() - started:.0f} s from {mirror}")

    def _install_debootstrap(self) -> None:
        if shutil.which("debootstrap") and Path("/usr/share/debootstrap/scripts/sid").exists():
            return
        for cmd in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "debootstrap"]):
            done = subprocess.run(cmd, capture_output=True, text=True, check=False,
                                  stdin=subprocess.DEVNULL,
                                  env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
            if done.returncode != 0:
                raise ChrootError(f"{' '.join(cmd)} failed: {done.stderr.strip()[-500:]}")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One user of the cached chroot at a time (two CI runs would unmount each other)."""
        with (self.root.parent / f"{self.root.name}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    @contextlib.contextmanager
    def session(self, source: Path) -> Iterator[Session]:
        """Copy ``source`` in, mount /proc and /dev; unmount on the way out, whatever happens.

        (A SIGTERM is turned into an orderly exit by the caller, ci_pythons.main.)
        """
        with self._locked():
            try:
                self._prepare(source)
                yield Session(self.root)
            finally:
                unmount_all(self.root)

    def _prepare(self, source: Path) -> None:
        unmount_all(self.root)  # left over from a run that was killed outright
        work = self.root / "work"
        remove_tree(work)
        copy_checkout(source, work / "src")
        shutil.copy(HOST_CA, self.root / CHROOT_CA.lstrip("/"))
        resolv = self.root / "etc/resolv.conf"
        resolv.unlink(missing_ok=True)
        shutil.copy("/etc/resolv.conf", resolv)
        root = str(self.root)
        for cmd in (["mount", "-t", "proc", "proc", f"{root}/proc"],
                    ["mount", "--rbind", "/dev", f"{root}/dev"],
                    # A slave: unmounting in here never propagates back to the host's /dev.
                    ["mount", "--make-rslave", f"{root}/dev"]):
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise ChrootError(f"{' '.join(cmd)} failed: {done.stderr.strip()}")


def copy_checkout(source: Path, dest: Path) -> None:
    """Copy the files git knows (tracked, or new and not ignored): no venvs, no caches."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=source, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        src = source / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)


class Session:
    """Commands to run inside a mounted chroot, with a clean environment."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def command(self, shell: str) -> list[str]:
        """``shell`` run by /bin/sh inside the chroot (no host environment leaks in)."""
        env = {
            "HOME": "/root",
            "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin",
            "LANG": "C.UTF-8",
            "CI": os.environ.get("CI", ""),
            "SDL_VIDEODRIVER": "dummy",
            "SDL_AUDIODRIVER": "dummy",
            # The host's CA bundle: pip's TLS must trust what the host's pip trusts.
            "PIP_CERT": CHROOT_CA,
            "PIP_DEFAULT_TIMEOUT": os.environ.get("PIP_DEFAULT_TIMEOUT", "60"),
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        }
        return ["chroot", str(self.root), "/usr/bin/env", "-i",
                *(f"{k}={v}" for k, v in env.items()), "/bin/sh", "-c", shell]
