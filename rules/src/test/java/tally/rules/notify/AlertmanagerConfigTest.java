package tally.rules.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertmanagerConfigTest {

    @Test
    void defaultsAreThoseOfPrometheus() {
        AlertmanagerConfig c = new AlertmanagerConfig(null, null, null, null, null, null, null);
        assertEquals("http", c.scheme());
        assertEquals(List.of(), c.targets());
        assertEquals("", c.pathPrefix());
        assertEquals(Duration.ofSeconds(10), c.timeout());
        assertEquals("v2", c.apiVersion());
        assertEquals("Bearer", new AlertmanagerConfig.Authorization(null, "t", null).type());
        assertEquals("Bearer", new AlertmanagerConfig.Authorization("  ", "t", null).type());
        assertEquals("", new AlertmanagerConfig.BasicAuth(null, "p", null).username());
    }

    @Test
    void rejectsWhatPrometheusRejects() {
        assertEquals("expected Alertmanager api version to be one of [v2] but got v1", assertThrows(IllegalArgumentException.class,
                () -> new AlertmanagerConfig(null, List.of("a:9093"), null, null, "v1", null, null)).getMessage());
        assertEquals("\"http://a:9093\" is not a valid hostname", assertThrows(IllegalArgumentException.class,
                () -> AlertmanagerConfig.of("http://a:9093")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AlertmanagerConfig("ftp", List.of("a:1"), null, null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new AlertmanagerConfig(null, List.of("a:1"), null, Duration.ZERO, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new AlertmanagerConfig(null, List.of("a:1"), null, null, null,
                new AlertmanagerConfig.BasicAuth("u", "p", null), new AlertmanagerConfig.Authorization(null, "t", null)));
        assertThrows(IllegalArgumentException.class, () -> new AlertmanagerConfig.BasicAuth("u", "p", Path.of("f")));
        assertThrows(IllegalArgumentException.class, () -> new AlertmanagerConfig.Authorization(null, "t", Path.of("f")));
        assertEquals("authorization type cannot be set to \"basic\", use \"basic_auth\" instead",
                assertThrows(IllegalArgumentException.class, () -> new AlertmanagerConfig.Authorization("Basic", "t", null)).getMessage());
    }

    @Test
    void secretsStayOutOfToString() {
        String s = new AlertmanagerConfig(null, List.of("a:1"), null, null, null,
                new AlertmanagerConfig.BasicAuth("user", "hunter2", null), null).toString();
        assertTrue(s.contains("user") && s.contains("<secret>"), s);
        assertFalse(s.contains("hunter2"), s);
        assertFalse(new AlertmanagerConfig.Authorization(null, "tok3n", null).toString().contains("tok3n"));
    }

    @Test
    void pushPathIsJoinedAndCleanedAsGo() {
        assertEquals("/api/v2/alerts", Endpoint.alertsPath(""));
        assertEquals("/api/v2/alerts", Endpoint.alertsPath("/"));
        assertEquals("/am/api/v2/alerts", Endpoint.alertsPath("am"));
        assertEquals("/am/api/v2/alerts", Endpoint.alertsPath("/am/"));
        assertEquals("/a/c/api/v2/alerts", Endpoint.alertsPath("//a/./b/../c//"));
        assertEquals("/api/v2/alerts", Endpoint.alertsPath("/../.."));
    }

    @Test
    void oneEndpointPerTarget() throws Exception {
        AlertmanagerConfig c = new AlertmanagerConfig("https", List.of("am-0:9093", "[::1]:9093", "am-2"), "/prefix",
                null, null, null, null);
        List<Endpoint> eps = Endpoint.of(c);
        assertEquals(List.of("https://am-0:9093/prefix/api/v2/alerts", "https://[::1]:9093/prefix/api/v2/alerts",
                "https://am-2/prefix/api/v2/alerts"), eps.stream().map(Endpoint::url).toList());
        assertEquals("http://a:1/with%20space/api/v2/alerts",
                Endpoint.of(new AlertmanagerConfig(null, List.of("a:1"), "with space", null, null, null, null)).get(0).url());
        assertNull(eps.get(0).authorizationHeader());
        // No host for Java's HTTP client, or credentials that would only end up in labels: refused with the config.
        for (String bad : List.of("my_am:9093", "am:9093?x", "am:9093#f", "user:pw@am:9093")) {
            assertThrows(IllegalArgumentException.class, () -> AlertmanagerConfig.of(bad), bad);
        }
    }

    @Test
    void credentialsFollowOnlyToTheSameHostOrASubdomain() {
        URI original = URI.create("http://am.example.com:9093/api/v2/alerts");
        assertTrue(AlertPost.sameHostOrSubdomain(URI.create("http://AM.example.com:9094/x"), original));
        assertTrue(AlertPost.sameHostOrSubdomain(URI.create("https://eu.am.example.com/x"), original));
        assertFalse(AlertPost.sameHostOrSubdomain(URI.create("http://example.com/x"), original));
        assertFalse(AlertPost.sameHostOrSubdomain(URI.create("http://evilam.example.com/x"), original));
    }
}
