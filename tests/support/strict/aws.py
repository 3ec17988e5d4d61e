"""What the strict rules share: refusing a call as AWS does, windows counted in calls, and pages.

Every window is counted in calls, never in wall time, so a test is deterministic and fast: "the
first 2 DescribeTasks after RunTask answer MISSING" holds on a slow machine as on a fast one.
"""

import base64
import os
import threading

from moto.core.exceptions import JsonRESTError

LOCK = threading.RLock()

# The largest page any paginated read returns, whatever page size the caller asks for. AWS's
# contract is the token, not the count: "Partially full or empty pages don't necessarily mean that
# pagination is finished" (aws-sdk-cloudwatchlogs 1.162.0, GetLogEventsFluentBuilder), and
# ECS/ELB/EventBridge/Application Auto Scaling all document a next token whenever "there are
# additional results". A small page makes a reader that ignores the token miss data visibly.
# `MOTO_PLUS_PAGE_SIZE` sets another size (the tests never do).
PAGE = int(os.environ.get("MOTO_PLUS_PAGE_SIZE", "2"))


def refuse(code, message):
    """Fails a call of a JSON-protocol service (ECS, Application Auto Scaling, EventBridge,
    CloudWatch Logs) with AWS's error `code`, which the SDK maps to its typed error, and `message`:
    `{"__type": code, "message": message}` and the `X-Amzn-ErrorType` header, status 400.
    (ELB speaks the query protocol: elbv2.py refuses with moto's ELB error instead.)"""
    raise JsonRESTError(code, message)


class Window:
    """For each key, how many more calls see the transient state (a task still MISSING, a service
    still DRAINING). Keys carry the account (ARNs do), so tests in parallel accounts never meet."""

    def __init__(self):
        self.left = {}

    def open(self, key, calls):
        with LOCK:
            self.left[key] = calls

    def is_open(self, key):
        with LOCK:
            return self.left.get(key, 0) > 0

    def close(self, key):
        with LOCK:
            self.left.pop(key, None)

    def consume(self, key):
        """`True` while the window is open, spending one call of it."""
        with LOCK:
            left = self.left.get(key, 0)
            if left <= 0:
                return False
            if left == 1:
                del self.left[key]
            else:
                self.left[key] = left - 1
            return True


def encode_token(offset):
    return base64.b64encode(f"strict:{offset}".encode()).decode()


def decode_token(token):
    """The offset a token stands for; `None` when it is not one of ours."""
    if not token:
        return 0
    try:
        text = base64.b64decode(token.encode(), validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    prefix, _, offset = text.partition(":")
    if prefix != "strict" or not offset.isdigit():
        return None
    return int(offset)


def page(items, token, requested, invalid):
    """One page of `items` from `token`: at most `min(requested, PAGE)` items, and the token of the
    next page (`None` on the last). An unknown token fails with `invalid()`."""
    start = decode_token(token)
    if start is None:
        invalid()
    size = min(int(requested), PAGE) if requested else PAGE
    chunk = items[start : start + size]
    end = start + len(chunk)
    return chunk, (encode_token(end) if end < len(items) else None)


def clamp_limit(owner, method_name, limit_name):
    """Wraps a moto backend method that paginates itself (`@paginate`) so that it never returns
    more than PAGE items, whatever limit the caller sent."""
    original = getattr(owner, method_name)

    def clamped(self, *args, **kwargs):
        requested = kwargs.get(limit_name)
        kwargs[limit_name] = min(int(requested), PAGE) if requested else PAGE
        return original(self, *args, **kwargs)

    setattr(owner, method_name, clamped)


def patch(owner, name, wrapper):
    """Replaces `owner.name` with `wrapper(original, self, …)`, `original` being what was there at
    install time (moto's method, or moto_plus's when it patched it first)."""
    original = getattr(owner, name)

    def patched(self, *args, **kwargs):
        return wrapper(original, self, *args, **kwargs)

    patched.__name__ = name
    setattr(owner, name, patched)
