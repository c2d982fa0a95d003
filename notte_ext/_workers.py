"""Daemon worker threads for sync page-ahead: stopping never waits for a request on the wire.

`concurrent.futures.ThreadPoolExecutor` can't do this: its threads are joined when the pool
shuts down with `wait=True` and, whatever you ask, again when the interpreter exits. A sync
httpx request can't be cancelled once sent, so a listing that ends (last page, `limit`,
`break`) would wait up to one round trip (a whole timeout, if the server hangs) for the pages
it asked for ahead and will never read. Here those requests finish on their own, their results
unread, on daemon threads that end with them and never delay the program's exit; the client
closes its connections only after its last request in flight (`NotteClient.close`).

Each job runs in a copy of the context it was submitted from (`contextvars`), as an asyncio task
does: a thread starts with an empty context, and the requests of a sync listing lost whatever the
caller had set, a tracing span (OpenTelemetry keeps it there) or a log correlation id.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from concurrent.futures import Future
from queue import SimpleQueue
from typing import Generic, TypeVar

A = TypeVar("A")
R = TypeVar("R")

_Job = tuple[Future[R], contextvars.Context, A]


class Workers(Generic[A, R]):
    """Up to `size` daemon threads calling `work(argument)` for each `submit`, in order."""

    def __init__(self, work: Callable[[A], R], size: int, name: str) -> None:
        self._work = work
        self._size = size
        self._name = name
        self._jobs: SimpleQueue[_Job[R, A] | None] = SimpleQueue()
        self._threads = 0

    def submit(self, argument: A) -> Future[R]:
        """A future for `work(argument)`; `cancel()` works until a thread has taken it."""
        future: Future[R] = Future()
        self._jobs.put((future, contextvars.copy_context(), argument))
        if self._threads < self._size:  # a thread per job until `size`, then they queue
            self._threads += 1
            threading.Thread(target=self._serve, name=f"{self._name}-{self._threads}", daemon=True).start()
        return future

    def stop(self) -> None:
        """Returns at once: each thread ends after the job it is doing (queued jobs left
        uncancelled still run first)."""
        for _ in range(self._threads):
            self._jobs.put(None)

    def _serve(self) -> None:
        while (job := self._jobs.get()) is not None:
            future, context, argument = job
            if not future.set_running_or_notify_cancel():
                continue  # cancelled while queued
            try:
                future.set_result(context.run(self._work, argument))
            except BaseException as exc:  # handed to whoever reads the future, like a pool does
                future.set_exception(exc)
