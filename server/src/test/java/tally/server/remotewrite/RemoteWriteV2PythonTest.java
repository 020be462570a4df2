package tally.server.remotewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.model.Labels;
import tally.model.MetricMetadata;
import tally.model.StaleNaN;
import tally.server.testing.ExternalTool;
import tally.server.testing.TestServer;

/**
 * A remote-write 2.0 request built by an encoder that is not Tally's: Debian's protoc generates Python code from the
 * spec's types.proto (src/test/resources/remotewrite/prw2, copied from prometheus/prometheus), python3 with
 * python3-protobuf and python3-snappy builds and compresses the request (build_request.py), and the test posts it to
 * an in-process Tally. Skips, saying why, without protoc, python3 or those modules
 * ({@code apt-get install protobuf-compiler python3-protobuf python3-snappy}).
 */
class RemoteWriteV2PythonTest {
    private static final String RESOURCES = "/remotewrite/prw2/";

    @Test
    void requestBuiltByProtocGeneratedPythonIsStoredAndCounted(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(ExternalTool.onPath("protoc"), "protoc not on PATH (apt-get install protobuf-compiler): test skipped");
        String python = python(dir);
        Assumptions.assumeTrue(python != null,
                "no python3 with the google.protobuf and snappy modules (apt-get install python3-protobuf python3-snappy): test skipped");
        for (String f : new String[] {"types.proto", "build_request.py"}) {
            try (InputStream in = RemoteWriteV2PythonTest.class.getResourceAsStream(RESOURCES + f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        ExternalTool.Result gen = ExternalTool.run(dir, "protoc", "--python_out=.", "--proto_path=.", "types.proto");
        assertEquals(0, gen.exitCode(), "protoc: " + gen.output());
        ExternalTool.Result built = ExternalTool.run(dir, python, "build_request.py", "request.bin");
        assertEquals(0, built.exitCode(), "build_request.py: " + built.output());
        assertTrue(built.output().contains("samples=6 histograms=0 exemplars=1"), built.output());
        byte[] body = Files.readAllBytes(dir.resolve("request.bin"));

        try (TestServer s = new TestServer()) {
            HttpResponse<byte[]> r = s.post(s.webUrl("/api/v1/write"), "application/x-protobuf;proto=io.prometheus.write.v2.Request", "snappy", body);
            assertEquals(204, r.statusCode(), new String(r.body()));
            assertEquals("6/0/0", RemoteWriteV2Test.written(r), "6 float samples written; the exemplar is not (Tally stores none)");

            Labels ok = Labels.of("__name__", "py_requests_total", "code", "200", "job", "api");
            assertEquals(Map.of(1000L, 1.0, 2000L, 3.0), s.samples(ok));
            assertTrue(StaleNaN.is(s.samples(Labels.of("__name__", "py_requests_total", "code", "500", "job", "api")).get(2000L)),
                    "the stale marker's bits survive");
            assertEquals(Map.of(1500L, 21.5), s.samples(Labels.of("__name__", "py_temperature", "room", "k\u00fcche \ud83c\udf73")));
            assertEquals(Map.of(1000L, 0.25), s.samples(Labels.of("__name__", "py_latency_seconds_sum", "job", "api")));
            assertEquals(List.of(new MetricMetadata("counter", "Requests served.", "")), s.metadata().get("py_requests_total"));
            assertEquals(List.of(new MetricMetadata("gauge", "Room temperature.", "celsius")), s.metadata().get("py_temperature"));

            // and through PromQL: the 500 series went stale at 2 s, so only the 200 series is left at 2.5 s
            String q = s.get(s.webUrl("/api/v1/query?query=sum(py_requests_total)&time=2.5")).body();
            assertTrue(q.contains("\"status\":\"success\"") && q.contains("\"3\""), q);
            q = s.get(s.webUrl("/api/v1/query?query=py_temperature&time=1.6")).body();
            assertTrue(q.contains("\"21.5\"") && q.contains("k\u00fcche"), q);
        }
    }

    /** A python3 that imports google.protobuf and snappy: Debian's first (its protobuf matches Debian's protoc), then PATH's. */
    private static String python(Path dir) throws Exception {
        for (String candidate : new String[] {"/usr/bin/python3", "python3"}) {
            if (candidate.startsWith("/") ? !Files.isExecutable(Path.of(candidate)) : !ExternalTool.onPath(candidate)) continue;
            ExternalTool.Result probe = ExternalTool.run(dir, candidate, "-c", "import google.protobuf, snappy");
            if (probe.exitCode() == 0) return candidate;
        }
        return null;
    }
}
