"""Builds a remote-write 2.0 request with the Python code protoc generates from types.proto (an encoder
independent of Tally's), snappy block-compresses it with python-snappy and writes it to the file named by argv[1].
Run by Tally's RemoteWriteV2PythonTest; prints the number of float samples, histograms and exemplars it put in."""
import struct
import sys

import snappy

import types_pb2 as pb

STALE_NAN = struct.unpack("<d", struct.pack("<Q", 0x7FF0000000000002))[0]

symbols = [""]
index = {"": 0}


def ref(s):
    if s not in index:
        index[s] = len(symbols)
        symbols.append(s)
    return index[s]


def series(req, labels, samples, metric_type=0, help_text="", unit="", exemplars=()):
    ts = req.timeseries.add()
    for name in sorted(labels):
        ts.labels_refs.extend([ref(name), ref(labels[name])])
    for t, v in samples:
        ts.samples.add(timestamp=t, value=v)
    for trace_id, t, v in exemplars:
        e = ts.exemplars.add(timestamp=t, value=v)
        e.labels_refs.extend([ref("trace_id"), ref(trace_id)])
    if metric_type or help_text or unit:
        ts.metadata.type = metric_type
        ts.metadata.help_ref = ref(help_text)
        ts.metadata.unit_ref = ref(unit)


req = pb.Request()
series(req, {"__name__": "py_requests_total", "job": "api", "code": "200"}, [(1000, 1.0), (2000, 3.0)],
       pb.Metadata.METRIC_TYPE_COUNTER, "Requests served.")
series(req, {"__name__": "py_requests_total", "job": "api", "code": "500"}, [(1000, 0.0), (2000, STALE_NAN)],
       pb.Metadata.METRIC_TYPE_COUNTER, "Requests served.")
series(req, {"__name__": "py_temperature", "room": "k\u00fcche \U0001F373"}, [(1500, 21.5)],
       pb.Metadata.METRIC_TYPE_GAUGE, "Room temperature.", "celsius")
series(req, {"__name__": "py_latency_seconds_sum", "job": "api"}, [(1000, 0.25)],
       exemplars=[("4bf92f3577b34da6a3ce929d0e0e4736", 1000, 0.25)])
req.symbols.extend(symbols)

with open(sys.argv[1], "wb") as f:
    f.write(snappy.compress(req.SerializeToString()))
print("samples=%d histograms=%d exemplars=%d" % (
    sum(len(t.samples) for t in req.timeseries),
    sum(len(t.histograms) for t in req.timeseries),
    sum(len(t.exemplars) for t in req.timeseries)))
