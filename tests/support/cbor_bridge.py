"""Smithy RPC v2 CBOR in front of moto's server, for CloudWatch.

The SDK (aws-sdk-cloudwatch 1.140.0) speaks CloudWatch's default protocol, Smithy RPC v2 CBOR:
`POST /service/GraniteServiceVersion20100801/operation/<Operation>`, a CBOR body, the header
`smithy-protocol: rpc-v2-cbor` (https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html).
moto 5.2.5's server routes CloudWatch only on `/` and parses its JSON and query protocols, which
CloudWatch also supports (botocore's model lists `smithy-rpc-v2-cbor`, `json`, `query`). So such a
request is passed to moto as the same operation in the JSON protocol (`X-Amz-Target`), and moto's
JSON answer goes back as CBOR: a success encoded along the operation's output shape (timestamps as
tag 1, as the protocol requires), an error as a map with its `__type` and `message`. The CBOR codec
is botocore's own (its RPC v2 CBOR parser and serializer), so nothing here is hand-rolled but the
error map. Only the services in SERVICES are bridged; every other request passes untouched.
"""

import datetime
import io
import json

import botocore.session
from botocore.parsers import RpcV2CBORParser
from botocore.serialize import RpcV2CBORSerializer

# The protocol's service id (the model's `targetPrefix`) -> botocore's service name.
SERVICES = {"GraniteServiceVersion20100801": "cloudwatch"}
MODELS = {}


def model(service):
    if service not in MODELS:
        MODELS[service] = botocore.session.get_session().get_service_model(service)
    return MODELS[service]


def decode(raw):
    parser = RpcV2CBORParser()
    return parser.parse_data_item(parser.get_peekable_stream_from_bytes(raw))


def plain(value):
    """What `json.dumps` cannot write: a decoded timestamp, as epoch seconds."""
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8", "replace")
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def fitted(value, shape):
    """`value` with only what `shape` has (moto may answer more) and numbers of its type."""
    if value is None:
        return None
    kind = shape.type_name
    if kind == "structure":
        return {name: fitted(item, shape.members[name]) for name, item in value.items() if name in shape.members}
    if kind == "list":
        return [fitted(item, shape.member) for item in value]
    if kind == "map":
        return {key: fitted(item, shape.value) for key, item in value.items()}
    if kind in ("integer", "long"):
        return int(value)
    if kind in ("double", "float"):
        return float(value)
    return value


def encode_shape(value, shape):
    body = bytearray()
    if shape is not None:
        RpcV2CBORSerializer()._serialize_data_item(body, fitted(value, shape), shape)
    return bytes(body)


def head(major, length):
    if length < 24:
        return bytes([major << 5 | length])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if length < 1 << (8 * size):
            return bytes([major << 5 | info]) + length.to_bytes(size, "big")
    raise ValueError("too long")


def encode_error(answer):
    """An error's body: a map of text to text (`__type`, `message`), CBOR major types 5 and 3."""
    fields = {"__type": str(answer.get("__type") or "InternalFailure"),
              "message": str(answer.get("message") or answer.get("Message") or "")}
    body = bytearray(head(5, len(fields)))
    for key, text in fields.items():
        for item in (key, text):
            encoded = item.encode()
            body += head(3, len(encoded)) + encoded
    return bytes(body)


def bridged(app, environ, start_response, prefix, operation):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(length) if length else b""
    params = decode(raw) if raw else {}
    body = json.dumps(params, default=plain).encode()
    inner = dict(environ)
    inner.pop("HTTP_SMITHY_PROTOCOL", None)
    inner.update({
        "PATH_INFO": "/",
        "CONTENT_TYPE": "application/x-amz-json-1.0",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_X_AMZ_TARGET": f"{prefix}.{operation}",
        "wsgi.input": io.BytesIO(body),
    })
    seen = {}

    def capture(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, headers
        return lambda data: None

    answered = b"".join(app(inner, capture))
    text = answered.strip()
    answer = json.loads(text) if text else {}
    if seen["status"].startswith("2"):
        out = encode_shape(answer, model(SERVICES[prefix]).operation_model(operation).output_shape)
    else:
        out = encode_error(answer)
    headers = [(k, v) for k, v in seen["headers"] if k.lower() not in ("content-type", "content-length")]
    headers += [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor"),
                ("Content-Length", str(len(out)))]
    start_response(seen["status"], headers)
    return [out]


def route(path):
    """`(service id, operation)` of an RPC v2 CBOR path of a bridged service, else `None`."""
    parts = path.split("/")
    if len(parts) == 5 and parts[1] == "service" and parts[3] == "operation" and parts[2] in SERVICES:
        return parts[2], parts[4]
    return None
