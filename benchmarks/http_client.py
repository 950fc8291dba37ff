"""A lean HTTP/1.1 keep-alive client on asyncio streams, for load benchmarks that share cores with the server."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import urlsplit


class HttpClient:
    """A small HTTP/1.1 keep-alive client on asyncio streams, for the load phases.

    httpx is a fine client but spends 2-6 ms of CPU per request here, and the client shares the machine's
    cores with the server it measures. This one sends pre-built requests on pooled keep-alive connections
    (at most `max_connections`, opened on demand) and reads `Content-Length` or chunked bodies; a connection
    that fails or that the server closes is dropped and the error raised to the caller (counted there).
    """

    def __init__(self, base: str, max_connections: int) -> None:
        parsed = urlsplit(base)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self.host_header = f"{self.host}:{self.port}".encode()
        self.max_connections = max_connections
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self._open = 0

    async def request(
        self,
        method: str,
        target: str,
        headers: dict[str, str] | None = None,
        json_body: Any = None,
    ) -> tuple[int, bytes]:
        """(status, body) of one request; `target` is the path with its query string."""
        head = [f"{method} {target} HTTP/1.1".encode(), b"Host: " + self.host_header]
        body = b""
        if json_body is not None:
            body = json.dumps(json_body, separators=(",", ":")).encode()
            head.append(b"Content-Type: application/json")
        if body or method in ("POST", "PUT", "PATCH"):
            head.append(b"Content-Length: " + str(len(body)).encode())
        for name, value in (headers or {}).items():
            head.append(f"{name}: {value}".encode("latin-1"))
        raw = b"\r\n".join(head) + b"\r\n\r\n" + body
        while self._idle:
            reader, writer = self._idle.pop()
            try:
                return await self._exchange(reader, writer, raw)
            except (asyncio.IncompleteReadError, ConnectionError) as exc:
                if isinstance(exc, asyncio.IncompleteReadError) and exc.partial:
                    raise
                # the server closed this idle keep-alive connection (uvicorn: after 5 s): retry on another
        if self._open >= self.max_connections:
            raise RuntimeError("no free connection")  # the caller bounds in-flight requests below the pool
        self._open += 1
        try:
            reader, writer = await asyncio.open_connection(self.host, self.port)
        except BaseException:
            self._open -= 1
            raise
        return await self._exchange(reader, writer, raw)

    async def _exchange(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes
    ) -> tuple[int, bytes]:
        try:
            writer.write(raw)
            status, payload, keep = await self._response(reader)
        except BaseException:
            self._open -= 1
            writer.close()
            raise
        if keep:
            self._idle.append((reader, writer))
        else:
            self._open -= 1
            writer.close()
        return status, payload

    @staticmethod
    async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
        lines = (await reader.readuntil(b"\r\n\r\n")).split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        fields: dict[bytes, bytes] = {}
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(b":")
                fields[name.strip().lower()] = value.strip()
        if b"content-length" in fields:
            payload = await reader.readexactly(int(fields[b"content-length"]))
        elif fields.get(b"transfer-encoding", b"").lower() == b"chunked":
            parts = []
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                parts.append(await reader.readexactly(size + 2))
                if size == 0:
                    break
            payload = b"".join(p[:-2] for p in parts)
        else:
            raise ValueError("response without Content-Length or chunked body")
        return status, payload, fields.get(b"connection", b"").lower() != b"close"

    async def close(self) -> None:
        while self._idle:
            _, writer = self._idle.pop()
            writer.close()
        self._open = 0
