"""The "Tally self-monitoring" dashboard, over Tally's own /metrics once something scrapes it."""
from common import Layout, stat, timeseries, target, query_var, dashboard

I = '{instance=~"$instance"}'



L = Layout()
L.row("Ingest")
L.add(timeseries("Ingested samples/s by protocol", "Samples appended and committed per second (otlp, remote_write).",
                 [target('sum by (protocol) (rate(tally_ingest_samples_total' + I + '[$__rate_interval]))',
                         legend="{{protocol}}")], "short", stack=True), 12, 8)
L.add(timeseries("Rejected samples/s by reason", "Samples or data points refused per second, by protocol and reason.",
                 [target('sum by (protocol, reason) (rate(tally_ingest_rejected_samples_total' + I + '[$__rate_interval]))',
                         legend="{{protocol}} {{reason}}")], "short", stack=True), 12, 8)
L.add(timeseries("Series written per request", "Series touched per second by ingest requests, by protocol.",
                 [target('sum by (protocol) (rate(tally_ingest_series_total' + I + '[$__rate_interval]))',
                         legend="{{protocol}}")], "short"), 12, 8)
L.add(timeseries("Head series", "Series in the in-memory head (active series) and new series per minute.",
                 [target('sum(tally_head_series' + I + ')', "A", "head series"),
                  target('sum(rate(tally_head_series_created_total' + I + '[$__rate_interval])) * 60', "B",
                         "created per minute")], "short"), 12, 8)

L.row("Storage")
L.add(timeseries("WAL size", "Bytes of write-ahead log on disk.",
                 [target('sum(tally_wal_size_bytes' + I + ')', legend="WAL")], "bytes"), 12, 8)
L.add(timeseries("Chunk bytes", "Bytes of sealed chunks in the Chronicle Map partitions.",
                 [target('sum(tally_storage_chunk_bytes' + I + ')', legend="chunks")], "bytes"), 12, 8)

L.row("HTTP")
L.add(timeseries("Requests/s by handler", "HTTP requests per second, by handler and status code.",
                 [target('sum by (handler, code) (rate(tally_http_requests_total' + I + '[$__rate_interval]))',
                         legend="{{handler}} {{code}}")], "reqps"), 12, 8)
L.add(timeseries("Request latency p99 by handler", "99th percentile of request latency, from body received to "
                 "response written.",
                 [target('histogram_quantile(0.99, sum by (handler, le) (rate(tally_http_request_duration_seconds_bucket'
                         + I + '[$__rate_interval])))', "A", "p99 {{handler}}"),
                  target('histogram_quantile(0.5, sum by (handler, le) (rate(tally_http_request_duration_seconds_bucket'
                         + I + '[$__rate_interval])))', "B", "p50 {{handler}}")], "s"), 12, 8)

L.row("JVM")
L.add(timeseries("Heap", "JVM heap used, committed and max.",
                 [target('sum(jvm_memory_heap_used_bytes' + I + ')', "A", "used"),
                  target('sum(jvm_memory_heap_committed_bytes' + I + ')', "B", "committed"),
                  target('sum(jvm_memory_heap_max_bytes' + I + ')', "C", "max")], "bytes"), 8, 8)
L.add(timeseries("Off-heap", "Non-heap (metaspace, code cache) and NIO buffer pools (direct = off-heap, "
                 "mapped = memory-mapped Chronicle Map files).",
                 [target('sum(jvm_memory_nonheap_used_bytes' + I + ')', "A", "non-heap"),
                  target('sum by (pool) (jvm_buffer_pool_used_bytes' + I + ')', "B", "buffer pool {{pool}}")],
                 "bytes"), 8, 8)
L.add(stat("Uptime", "Time since the Tally process started.",
           'min(time() - process_start_time_seconds' + I + ')', "s", 0), 8, 4)

VARS = [query_var("instance", "Instance", "label_values(tally_ingest_samples_total, instance)",
                  "The scrape target's instance label.")]

DASHBOARD = dashboard("tally-self-monitoring", "Tally self-monitoring",
                      "Tally's own /metrics. Needs a scraper that writes them into Tally (see grafana/README.md).",
                      ["tally"], L.panels, VARS, time_from="now-6h")
