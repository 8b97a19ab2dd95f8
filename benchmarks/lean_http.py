"""A lean HTTP/1.1 keep-alive client for the load generator.

On this 2-core machine the load generator shares the CPU with everything it measures; httpx
spent ~9 ms of CPU per request here (its connection pool's bookkeeping grows with the queue), as
much as intake and routing together, so it capped the figure it was meant to measure. This client
does only what the benchmark needs: POST a JSON body on a kept-alive connection and read back the
status and the JSON answer.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import urlsplit


class LeanConnection:
    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def post_json(self, path: str, body: Any, headers: dict[str, str]) -> tuple[int, Any]:
        if self.writer is None:
            await self._connect()
        assert self.reader is not None and self.writer is not None
        data = json.dumps(body, ensure_ascii=False).encode()
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.writer.write(
            f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(data)}\r\n{head}\r\n".encode()
            + data
        )
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            await self.close()
            raise ConnectionError("server closed the connection")
        status = int(status_line.split()[1])
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        payload = await self.reader.readexactly(length) if length else b""
        return status, json.loads(payload) if payload else None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = self.reader = None
