"""A client's lifecycle as production code meets it: closed, reused in another event loop."""

from __future__ import annotations

import asyncio
import gc
import threading
import warnings

import pytest

from notte_ext import AsyncNotteClient, ClientClosedError, ClientLoopError, RunsPage
from notte_ext.testing import NotteTestServer
from tests.conftest import FUNCTION_ID


def test_an_async_client_used_in_a_second_event_loop_is_a_typed_error(server: NotteTestServer) -> None:
    """httpx's AsyncClient can't move its pooled connections to another loop: reused in a second
    asyncio.run, it raised a bare `RuntimeError: Event loop is closed` from deep inside anyio."""
    clients = [AsyncNotteClient(server.api_key, base_url=server.url)]  # a list: dropped at the end
    client = clients[0]

    async def page() -> RunsPage:
        return await clients[0].functions.list_runs_page(FUNCTION_ID)

    assert len(asyncio.run(page()).items) == 100  # leaves a connection in the pool, bound to that loop
    with pytest.raises(ClientLoopError, match=r"^GET /functions/fn-1/runs not sent: .* first used in another event"):
        asyncio.run(page())
    assert len(server.requests) == 1  # nothing sent
    assert isinstance(ClientLoopError("x"), RuntimeError)  # what httpx raised: code catching it still does

    # Closing it afterwards, from yet another loop, is no error: its connections went with their loop.
    asyncio.run(client.aclose())
    with pytest.raises(ClientClosedError):
        asyncio.run(page())
    with warnings.catch_warnings():  # asyncio frees the dead loop's socket, saying it was left open
        warnings.simplefilter("ignore", ResourceWarning)
        clients.clear()
        del client
        gc.collect()


def test_an_async_client_closed_outside_a_loop_that_still_runs_says_where_to_close_it(
    server: NotteTestServer,
) -> None:
    loop = asyncio.new_event_loop()
    ready, done = threading.Event(), threading.Event()
    client = AsyncNotteClient(server.api_key, base_url=server.url)

    async def first_use() -> None:
        await client.functions.list_runs_page(FUNCTION_ID)
        ready.set()
        while not done.is_set():  # the loop goes on running, its connection pooled
            await asyncio.sleep(0.01)
        await client.aclose()

    thread = threading.Thread(target=loop.run_until_complete, args=(first_use(),))
    thread.start()
    try:
        assert ready.wait(30)
        with pytest.raises(ClientLoopError, match="which is still open: close it there"):
            asyncio.run(client.aclose())
    finally:
        done.set()
        thread.join(30)
        loop.close()
    with pytest.raises(ClientClosedError):
        asyncio.run(client.functions.list_runs_page(FUNCTION_ID))
