"""A reverse proxy in front of the AWS emulator that fails calls on purpose, for maestro's tests.

    python3 fault_proxy.py --upstream http://127.0.0.1:5055 --rate 0.3 --seed 7

It prints its port on the first line of stdout. Each AWS call (not the emulator's own /moto-api
or /__plus endpoints) is failed with probability --rate, decided deterministically from the
seed, the call's content and how many times that same call was seen (so a retry gets a fresh
draw). A failure is one of, before the call reaches the emulator (so nothing was done):
  - the protocol's throttling error (JSON: ThrottlingException; query/XML: Throttling; EC2:
    RequestLimitExceeded, in EC2's own error document), HTTP 400;
  - HTTP 500 InternalFailure or 503 ServiceUnavailable;
  - a dropped connection (closed with no answer);
  - a 1.5 s delay, after which the call goes through.

With --delay SECONDS every AWS call waits that long before it reaches the emulator: the latency of
a round trip to a region (the deploy benchmark's latency mode, scripts/bench.sh). Each call's
operation, start and end (seconds since the proxy started or was reset) are kept for the
benchmark's timeline of which calls were sequential.

Control (JSON):
  POST /__fault/config {"rate": 0.3, "seed": 7, "hang_after_writes": 5, "delay": 0.05, "reset": true}
       hang_after_writes: after that many writes have been answered, every later call hangs
       (a run "frozen" there, for the test to SIGKILL); null turns it off and frees the hung.
       reset: forgets the calls seen so far (counts, writes, the timeline).
  GET  /__fault/state  -> {"requests", "faults", "writes": [operation, ...], "hanging",
                           "timeline": [[operation, start, end], ...]}
"""

import argparse
import hashlib
import http.client
import http.server
import json
import socketserver
import sys
import threading
import time
import urllib.parse

STATE = {
    "rate": 0.0,
    "seed": 0,
    "hang_after_writes": None,
    "delay": 0.0,
    "requests": 0,
    "faults": 0,
    "writes": [],
    "seen": {},
    "timeline": [],
    "epoch": time.monotonic(),
}
LOCK = threading.Lock()
RELEASED = threading.Condition(LOCK)
UPSTREAM = None


def operation(headers, body):
    target = headers.get("X-Amz-Target")
    if target:
        return target.rsplit(".", 1)[-1], "json"
    fields = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
    if "Action" in fields:
        # EC2 speaks a query protocol of its own, whose errors have another shape (`fail`);
        # the SigV4 credential scope names the service: .../<region>/ec2/aws4_request.
        ec2 = "/ec2/aws4_request" in headers.get("Authorization", "")
        return fields["Action"][0], "ec2" if ec2 else "query"
    return None, "rest"


def is_write(name):
    return name is not None and not name.startswith(("Describe", "List", "Get"))


def draw(key):
    """Two deterministic numbers in [0, 1) for this call's n-th occurrence."""
    with LOCK:
        count = STATE["seen"].get(key, 0)
        STATE["seen"][key] = count + 1
        seed = STATE["seed"]
    digest = hashlib.sha256(f"{seed}|{count}|{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64, int.from_bytes(digest[8:16], "big") / 2**64


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, content_type="application/json", headers=()):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def control(self, body):
        if self.command == "POST":
            config = json.loads(body or b"{}")
            with LOCK:
                for key in ("rate", "seed", "hang_after_writes", "delay"):
                    if key in config:
                        STATE[key] = config[key]
                if config.get("reset"):
                    STATE.update(requests=0, faults=0, writes=[], seen={}, timeline=[], epoch=time.monotonic())
                RELEASED.notify_all()
        with LOCK:
            hang = STATE["hang_after_writes"]
            state = {
                "requests": STATE["requests"],
                "faults": STATE["faults"],
                "writes": list(STATE["writes"]),
                "hanging": hang is not None and len(STATE["writes"]) >= hang,
                "timeline": list(STATE["timeline"]),
            }
        self.answer(200, json.dumps(state))

    def fail(self, kind, protocol):
        if kind == "drop":
            self.close_connection = True
            self.connection.close()
            return
        codes = {
            "throttle": (400, "ThrottlingException", "Throttling"),
            "500": (500, "InternalFailure", "InternalFailure"),
            "503": (503, "ServiceUnavailable", "ServiceUnavailable"),
        }
        status, json_code, query_code = codes[kind]
        if protocol == "ec2":
            # EC2's error document and its throttling code, RequestLimitExceeded:
            # https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html and
            # https://docs.aws.amazon.com/AWSEC2/latest/APIReference/throttling.html
            code = "RequestLimitExceeded" if kind == "throttle" else query_code
            body = (
                f"<Response><Errors><Error><Code>{code}</Code><Message>injected by fault_proxy</Message>"
                "</Error></Errors><RequestID>fault</RequestID></Response>"
            )
            self.answer(status, body, "text/xml")
        elif protocol == "query":
            body = (
                f"<ErrorResponse><Error><Type>Sender</Type><Code>{query_code}</Code>"
                "<Message>injected by fault_proxy</Message></Error><RequestId>fault</RequestId></ErrorResponse>"
            )
            self.answer(status, body, "text/xml")
        else:
            body = json.dumps({"__type": json_code, "message": "injected by fault_proxy"})
            self.answer(status, body, "application/x-amz-json-1.1", [("x-amzn-ErrorType", json_code)])

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path.startswith("/__fault/"):
            return self.control(body)
        name, protocol = operation(self.headers, body)
        passthrough = self.path.startswith(("/moto-api", "/__plus"))
        started = time.monotonic()
        if not passthrough:
            with LOCK:
                STATE["requests"] += 1
                while STATE["hang_after_writes"] is not None and len(STATE["writes"]) >= STATE["hang_after_writes"]:
                    RELEASED.wait()
                rate, delay = STATE["rate"], STATE["delay"]
            if delay:
                # One round trip's latency, paid once per call as on a real network.
                time.sleep(delay)
            target = self.headers.get("X-Amz-Target")
            chance, pick = draw(f"{self.command} {self.path} {target} {hashlib.sha256(body).hexdigest()}")
            if chance < rate:
                kind = ["throttle", "500", "503", "drop", "delay"][int(pick * 5)]
                with LOCK:
                    STATE["faults"] += 1
                if kind == "delay":
                    time.sleep(1.5)
                else:
                    return self.fail(kind, protocol)
        connection = http.client.HTTPConnection(UPSTREAM.hostname, UPSTREAM.port, timeout=60)
        headers = {key: value for key, value in self.headers.items() if key.lower() not in ("host", "connection")}
        connection.request(self.command, self.path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        if not passthrough:
            with LOCK:
                if is_write(name) and response.status < 400:
                    STATE["writes"].append(name)
                epoch = STATE["epoch"]
                STATE["timeline"].append([name or self.path, started - epoch, time.monotonic() - epoch])
        self.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() not in ("transfer-encoding", "connection", "content-length", "server", "date"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        connection.close()

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = handle_any


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    # socketserver's default backlog is 5: fifty calls sent at once (a deploy of fifty services)
    # would arrive over several SYN retries, not together as they were sent.
    request_queue_size = 128

    def handle_error(self, request, client_address):
        # The crash tests SIGKILL maestro mid-request and the SDK gives up on delayed answers:
        # a client gone before its answer is expected, not worth a traceback in the test log.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


def main():
    global UPSTREAM
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--rate", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
    UPSTREAM = urllib.parse.urlparse(args.upstream)
    STATE.update(rate=args.rate, seed=args.seed, delay=args.delay)
    server = Server(("127.0.0.1", 0), Proxy)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
