"""Reads a cox4j-written event file with python3-protobuf and prints what it holds as JSON.

Usage: python3 check_event_file.py PROTO_PY_DIR EVENT_FILE [EVENT_FILE ...]

PROTO_PY_DIR holds the modules `protoc --python_out` made from cox4j's own .proto files
(core/src/main/proto). Every record's framing and both masked CRC32Cs are checked here,
with a CRC32C written out below, independent of the Java code. Histograms are recomputed
the way tensorboardX's make_histogram does (numpy.histogram over its default bins) from
the values the Java test logged, and compared.
"""
import json
import struct
import sys

import numpy as np

sys.path.insert(0, sys.argv[1])
from coxtb import event_pb2, hparams_pb2  # noqa: E402

_POLY = 0x82F63B78  # CRC-32C (Castagnoli), reflected
_TABLE = []
for n in range(256):
    c = n
    for _ in range(8):
        c = (c >> 1) ^ _POLY if c & 1 else c >> 1
    _TABLE.append(c)


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def masked(data):
    c = crc32c(data)
    return ((((c >> 15) | (c << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def tensorboardx_histogram(values):
    v, buckets, neg = 1e-12, [], []
    while v < 1e20:
        buckets.append(v)
        neg.append(-v)
        v *= 1.1
    bins = neg[::-1] + [0] + buckets
    values = np.asarray(values, dtype=float).reshape(-1)
    counts, limits = np.histogram(values, bins=bins)
    cum = np.cumsum(np.greater(counts, 0))
    start, end = np.searchsorted(cum, [0, cum[-1] - 1], side="right")
    start, end = int(start), int(end) + 1
    counts = counts[start - 1:end] if start > 0 else np.concatenate([[0], counts[:end]])
    limits = limits[start:end + 1]
    return dict(min=values.min(), max=values.max(), num=len(values), sum=values.sum(),
                sum_squares=values.dot(values), bucket_limit=limits.tolist(),
                bucket=[float(c) for c in counts])


def read(path):
    data = open(path, "rb").read()
    offset, events = 0, []
    while offset < len(data):
        header = data[offset:offset + 8]
        (length,) = struct.unpack("<Q", header)
        (length_crc,) = struct.unpack("<I", data[offset + 8:offset + 12])
        assert masked(header) == length_crc, "length CRC at %d" % offset
        body = data[offset + 12:offset + 12 + length]
        (body_crc,) = struct.unpack("<I", data[offset + 12 + length:offset + 16 + length])
        assert masked(body) == body_crc, "data CRC at %d" % offset
        event = event_pb2.Event()
        event.ParseFromString(body)
        events.append(event)
        offset += 16 + length
    assert offset == len(data)
    return events


def describe(event):
    out = {"wall_time": event.wall_time, "step": event.step, "what": event.WhichOneof("what")}
    if out["what"] == "file_version":
        out["file_version"] = event.file_version
    values = []
    for v in event.summary.value:
        d = {"tag": v.tag, "kind": v.WhichOneof("value"), "plugin": v.metadata.plugin_data.plugin_name}
        if d["kind"] == "simple_value":
            d["simple_value"] = v.simple_value
        elif d["kind"] == "histo":
            h = v.histo
            d["histo"] = dict(min=h.min, max=h.max, num=h.num, sum=h.sum, sum_squares=h.sum_squares,
                              buckets=len(h.bucket), bucket_total=sum(h.bucket))
            values_logged = [i * 0.37 - 5.0 for i in range(100)] + [0.0, 1e-13, 12345.678]
            expected = tensorboardx_histogram(values_logged)
            d["matches_tensorboardx"] = bool(
                list(h.bucket_limit) == expected["bucket_limit"] and list(h.bucket) == expected["bucket"]
                and h.min == expected["min"] and h.max == expected["max"] and h.num == expected["num"]
                and h.sum == expected["sum"]
                and abs(h.sum_squares - expected["sum_squares"]) <= 1e-9 * expected["sum_squares"])
        elif d["kind"] == "image":
            d["image"] = dict(height=v.image.height, width=v.image.width, colorspace=v.image.colorspace,
                              png_header=v.image.encoded_image_string[:8].hex())
        elif d["kind"] == "tensor":
            t = v.tensor
            d["tensor"] = dict(dtype=t.dtype, shape=[dim.size for dim in t.tensor_shape.dim],
                               strings=[s.decode("utf-8") for s in t.string_val])
        if d["plugin"] == "hparams":
            content = hparams_pb2.HParamsPluginData()
            content.ParseFromString(v.metadata.plugin_data.content)
            d["hparams_data"] = content.WhichOneof("data")
            if d["hparams_data"] == "session_start_info":
                d["hparams"] = {k: val.WhichOneof("kind") + "=" + str(getattr(val, val.WhichOneof("kind")))
                                for k, val in content.session_start_info.hparams.items()}
            if d["hparams_data"] == "experiment":
                d["metrics"] = [m.name.tag for m in content.experiment.metric_infos]
        values.append(d)
    out["values"] = values
    return out


print(json.dumps({path: [describe(e) for e in read(path)] for path in sys.argv[2:]}, sort_keys=True))
