"""A TCP relay on loopback between a benchmarked tool and the local API server,
for what a direct connection cannot show:

- the bytes the server sends back (`received`: a tool's traffic, gzip and all);
- a remote cluster: with a round trip (`rtt_ms`) every byte waits half of it
  each way, so both tools pay what a regional API server (10-50 ms away) costs.
  A link with latency, not a slow one: bytes keep their order, no bandwidth cap.

TLS passes through untouched: the client still verifies the API server's
certificate, which names 127.0.0.1. Only loopback: it listens on 127.0.0.1 and
connects to 127.0.0.1.

In a benchmark's driver (tests/bench/lib.sh puts this directory on PYTHONPATH):
    relay = Relay(upstream_port, rtt_ms=0)   # serves from a thread
    relayed_kubeconfig(kubeconfig, relay.port, path)
As a program (lib.sh's bench_remote): loopback_relay.py RTT_MS KUBECONFIG OUT
writes OUT, KUBECONFIG through the relay, prints its port, then serves until
killed.
"""
import asyncio
import os
import re
import sys
import threading


class Relay:
    def __init__(self, upstream_port, rtt_ms=0.0):
        self.upstream_port = upstream_port
        self.delay = rtt_ms / 2000.0  # one way, in seconds
        self.received = 0
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        server = self._loop.run_until_complete(asyncio.start_server(self._relay, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        threading.Thread(target=self._loop.run_forever, daemon=True).start()

    def reset(self):
        with self._lock:
            self.received = 0

    def serve_forever(self):
        threading.Event().wait()

    async def _pipe(self, reader, writer, count):
        queue = asyncio.Queue()
        loop = asyncio.get_running_loop()

        async def deliver():
            while (item := await queue.get()) is not None:
                due, data = item
                if due > loop.time():
                    await asyncio.sleep(due - loop.time())
                writer.write(data)
                await writer.drain()

        sender = asyncio.create_task(deliver())
        try:
            while data := await reader.read(65536):
                if count:
                    with self._lock:
                        self.received += len(data)
                queue.put_nowait((loop.time() + self.delay, data))
        finally:
            queue.put_nowait(None)
            try:
                await sender
            finally:
                writer.close()

    async def _relay(self, client_reader, client_writer):
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(self._pipe(client_reader, upstream_writer, False),
                             self._pipe(upstream_reader, client_writer, True), return_exceptions=True)


def server_port(kubeconfig):
    """The port of the (first) server a kubeconfig names."""
    return int(re.search(r"^\s*server: https://[^:\s/]+:(\d+)", open(kubeconfig).read(), re.M).group(1))


def relayed_kubeconfig(kubeconfig, port, path):
    """Writes to `path` a copy of `kubeconfig` whose server is the relay's
    port, with its certificate paths made absolute (they are relative to the
    file they are in)."""
    config = open(kubeconfig).read()
    config = re.sub(r"^(\s*server: https://[^:\s/]+):\d+", rf"\g<1>:{port}", config, flags=re.M)
    config = re.sub(r"^(\s*(?:certificate-authority|client-certificate|client-key): )(?!/)(\S+)$",
                    lambda m: m.group(1) + os.path.join(os.path.dirname(os.path.abspath(kubeconfig)), m.group(2)),
                    config, flags=re.M)
    with open(path, "w") as f:
        f.write(config)


if __name__ == "__main__":
    rtt_ms, kubeconfig, out = float(sys.argv[1]), sys.argv[2], sys.argv[3]
    relay = Relay(server_port(kubeconfig), rtt_ms)
    relayed_kubeconfig(kubeconfig, relay.port, out)
    print(relay.port, flush=True)
    relay.serve_forever()
