"""Systematic names to structures with OPSIN: one long-lived JVM, batched, cached.

OPSIN's command line (`java -jar opsin.jar -osmi`) reads one name per line and answers one line each:
the SMILES, or an empty line when the name cannot be parsed. We keep one such process for the life of
an `Opsin` object, feed it names in chunks from a writer thread while reading the answers (so neither
pipe can fill up and deadlock), never send a blank or multi-line name (the protocol would desync), and
cache every answer. The jar is the one bundled in the `py2opsin` wheel; only Java is needed.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import TracebackType

CHUNK = 256
"""Names written per round trip."""


class OpsinUnavailable(RuntimeError):
    """OPSIN cannot run here (no Java, no jar, the process died); the message is one line."""


@dataclass
class OpsinStats:
    """Counters: names asked for, served from the cache, and sent to the JVM."""

    asked: int = 0
    cached: int = 0
    sent: int = 0


def find_jar() -> str:
    """The OPSIN jar bundled in the py2opsin wheel."""
    try:
        package = resources.files("py2opsin")
    except ModuleNotFoundError as exc:
        raise OpsinUnavailable("OPSIN jar not found: install the py2opsin package") from exc
    jars = sorted(Path(str(package)).glob("opsin*.jar"))
    if not jars:
        raise OpsinUnavailable(f"OPSIN jar not found in {package}")
    return str(jars[-1])


def java_available(java: str = "java") -> bool:
    """True when `java` is an executable on PATH (or an existing path)."""
    return shutil.which(java) is not None


class Opsin:
    """Converts systematic names to SMILES with one long-lived `java -jar opsin.jar -osmi` process.

    Use as a callable: `opsin(["tert-butyl 4-oxopiperidine-1-carboxylate"])` -> `["O=C1CCN(...)..."]`;
    None for a name OPSIN cannot parse. The JVM starts on the first call; `close()` (or leaving a
    `with` block) stops it.
    """

    def __init__(
        self, jar: str | None = None, java: str = "java", cache_size: int = 100_000, timeout: float = 60.0
    ) -> None:
        self.jar = jar
        self.java = java
        self.cache_size = cache_size
        self.timeout = timeout
        self.stats = OpsinStats()
        self._cache: OrderedDict[str, str | None] = OrderedDict()
        self._proc: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> Opsin:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()

    def close(self) -> None:
        """Stop the JVM (idempotent)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin:
                proc.stdin.close()
            proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
        finally:
            if proc.stdout:
                proc.stdout.close()

    def __call__(self, names: Sequence[str]) -> list[str | None]:
        """SMILES (or None) for each name, in order; each distinct name is sent at most once."""
        self.stats.asked += len(names)
        clean = [" ".join(n.split()) for n in names]
        todo = list(dict.fromkeys(n for n in clean if n and n not in self._cache))
        self.stats.cached += sum(1 for n in clean if n in self._cache)
        if todo:
            with self._lock:
                for start in range(0, len(todo), CHUNK):
                    chunk = todo[start : start + CHUNK]
                    for name, smiles in zip(chunk, self._convert(chunk), strict=True):
                        self._remember(name, smiles)
        return [self._cache.get(n) if n else None for n in clean]

    def _remember(self, name: str, smiles: str | None) -> None:
        self._cache[name] = smiles
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    def _start(self) -> subprocess.Popen[str]:
        if not java_available(self.java):
            raise OpsinUnavailable(
                f"OPSIN needs Java 11+ ({self.java!r} not found); systematic names are skipped"
            )
        jar = self.jar or find_jar()
        try:
            return subprocess.Popen(
                [self.java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar, "-osmi"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                text=True, encoding="utf-8", bufsize=1,
            )  # fmt: skip
        except OSError as exc:
            raise OpsinUnavailable(f"OPSIN could not start: {exc.strerror}") from exc

    def _convert(self, chunk: list[str]) -> list[str | None]:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = self._start()
        proc = self._proc
        assert proc.stdin is not None and proc.stdout is not None
        self.stats.sent += len(chunk)
        failure: list[BaseException] = []

        def write() -> None:
            try:
                assert proc.stdin is not None
                proc.stdin.write("".join(f"{n}\n" for n in chunk))
                proc.stdin.flush()
            except OSError as exc:
                failure.append(exc)

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        out: list[str | None] = []
        timer = threading.Timer(self.timeout, proc.kill)
        timer.start()
        try:
            for _ in chunk:
                line = proc.stdout.readline()
                if not line:
                    self._proc = None
                    raise OpsinUnavailable("OPSIN stopped unexpectedly (its JVM exited or timed out)")
                smiles = line.strip()
                out.append(smiles or None)
        finally:
            timer.cancel()
            writer.join(timeout=1)
        if failure:
            raise OpsinUnavailable(f"could not write to OPSIN: {failure[0]}")
        return out
