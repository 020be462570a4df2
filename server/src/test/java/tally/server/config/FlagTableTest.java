package tally.server.config;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tally.server.testing.TestServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every flag is defined once in {@link FlagTable}: these check that nothing else can disagree with it. */
class FlagTableTest {
    @Test
    void everyRegisteredFlagIsOnTheFlagsEndpointWithItsValue() throws Exception {
        ServerConfig[] served = new ServerConfig[1];
        try (TestServer s = new TestServer(c -> {
            c.queryMaxConcurrency = 7;
            served[0] = c;
        })) {
            HttpResponse<String> r = s.get(s.webUrl("/api/v1/status/flags"));
            assertEquals(200, r.statusCode());
            JsonObject data = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("data");
            for (Flag<?> f : FlagTable.ALL) {
                assertTrue(data.has(f.name()), f.name() + " missing from " + r.body());
                assertEquals(f.current(served[0]), data.get(f.name()).getAsString(), f.name());
            }
            assertEquals(FlagTable.ALL.size(), data.size(), "only flags: " + r.body());
            assertEquals("7", data.get("query.max-concurrency").getAsString(), "the effective value, not the default");
        }
    }

    @Test
    void eachServerConfigDefaultIsTheFlagsDefault() {
        ServerConfig fresh = new ServerConfig();
        ServerConfig parsed;
        try {
            parsed = Flags.parse(List.of());
        } catch (ConfigException e) {
            throw new AssertionError(e);
        }
        for (Flag<?> f : FlagTable.ALL) {
            ServerConfig c = new ServerConfig();
            f.apply(c, f.defaultValue());
            assertEquals(f.current(c), f.current(fresh), f.name());
            assertEquals(f.current(c), f.current(parsed), f.name());
        }
    }

    @Test
    void describedValuesParseBackToTheSameValue() throws ConfigException {
        ServerConfig c = Flags.parse(List.of("--storage.retention=36h", "--otlp.listen-address=", "--log.level=warn",
                "--otlp.promote-resource-attributes=host.name, os.type", "--web.external-url=https://tally.example.com/",
                "--web.max-request-bytes=8MiB", "--no-rules.claude-code"));
        Map<String, String> described = Flags.describe(c);
        assertEquals(FlagTable.ALL.size(), described.size());
        for (Flag<?> f : FlagTable.ALL) {
            ServerConfig again = new ServerConfig();
            f.apply(again, described.get(f.name()));
            assertEquals(described.get(f.name()), f.current(again), f.name());
        }
        assertEquals("1d12h", described.get("storage.retention"));
        assertEquals("", described.get("otlp.listen-address"));
        assertEquals("warn", described.get("log.level"));
        assertEquals("host.name,os.type", described.get("otlp.promote-resource-attributes"));
        assertEquals("https://tally.example.com", described.get("web.external-url"));
        assertEquals("8388608", described.get("web.max-request-bytes"));
        assertEquals("false", described.get("rules.claude-code"));
    }

    @Test
    void flagNamesAreUnique() {
        assertEquals(FlagTable.ALL.size(), FlagTable.ALL.stream().map(Flag::name).distinct().count());
    }
}
