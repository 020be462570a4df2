package tally.server.grafana;

import tally.server.testing.ExternalTool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Dockerfile and docker-compose.yml at the repository root (no Docker engine needed). */
class ContainerFilesTest {
    private final Path root = DashboardQueries.dashboardsDir().getParent().getParent();

    @Test
    void composeFileIsValid() throws Exception {
        List<String> command;
        if (ExternalTool.onPath("docker-compose")) {
            command = List.of("docker-compose", "--profile", "self-monitoring", "config", "-q");
        } else {
            assumeTrue(ExternalTool.onPath("docker") && ExternalTool.run(root, "docker", "compose", "version").exitCode() == 0,
                    "neither docker-compose nor the docker compose plugin is installed");
            command = List.of("docker", "compose", "--profile", "self-monitoring", "config", "-q");
        }
        ExternalTool.Result result = ExternalTool.run(root, command.toArray(new String[0]));
        assertEquals(0, result.exitCode(), result.output());
    }

    @Test
    void composeMountsFilesThatExist() throws Exception {
        String compose = Files.readString(root.resolve("docker-compose.yml"));
        Matcher mount = Pattern.compile("- \\./([\\w./-]+):").matcher(compose);
        int mounts = 0;
        while (mount.find()) {
            assertTrue(Files.exists(root.resolve(mount.group(1))), "mounted path missing: " + mount.group(1));
            mounts++;
        }
        assertEquals(5, mounts); // grafana provisioning + dashboards, the agent's config, Tally's prometheus.yml, Alertmanager's
        assertTrue(compose.contains("GF_AUTH_ANONYMOUS_ENABLED: \"false\""));
        assertTrue(compose.contains("condition: service_healthy"));
        assertTrue(compose.contains("/-/ready"));
    }

    /** The image's build copies every module of the reactor (a module added without its COPY breaks the image). */
    @Test
    void dockerfileCopiesEveryModule() throws Exception {
        String pom = Files.readString(root.resolve("pom.xml"));
        String dockerfile = Files.readString(root.resolve("Dockerfile"));
        Matcher module = Pattern.compile("<module>([\\w-]+)</module>").matcher(pom);
        int modules = 0;
        while (module.find()) {
            assertTrue(dockerfile.contains("COPY " + module.group(1) + " ./" + module.group(1)), "Dockerfile does not copy " + module.group(1));
            modules++;
        }
        assertTrue(modules >= 6, "modules: " + modules);
    }

    /** The server jar ships the Claude Code dashboard for its built-in page: the image's build must see the file. */
    @Test
    void dockerBuildSeesTheDashboardThePageShips() throws Exception {
        assertTrue(Files.readString(root.resolve("server/pom.xml")).contains("../grafana/dashboards"));
        assertTrue(Files.readString(root.resolve("Dockerfile")).contains("COPY grafana/dashboards ./grafana/dashboards"));
        List<String> ignore = Files.readAllLines(root.resolve(".dockerignore"));
        assertTrue(ignore.contains("grafana/*") && ignore.contains("!grafana/dashboards"), "only the dashboards enter the context: " + ignore);
        assertTrue(Files.exists(root.resolve("grafana/dashboards/claude-code-usage.json")));
    }

    @Test
    void dockerfileRunsTheJarOnAFullJdkAsNonRoot() throws Exception {
        String dockerfile = Files.readString(root.resolve("Dockerfile"));
        List<String> from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(dockerfile).results().map(r -> r.group(1)).toList();
        assertEquals(2, from.size(), "multi-stage: build and run");
        assertTrue(from.get(0).startsWith("maven:") && from.get(0).contains("17"), from.get(0));
        assertTrue(from.get(1).matches("eclipse-temurin:17[^:]*-jdk.*"), "runtime needs a full JDK: " + from.get(1));
        assertTrue(dockerfile.contains("mvn -q -B -DskipTests"));
        // the image runs the jar with the launcher's memory defaults, and TALLY_JAVA_OPTS after them
        java.util.regex.Matcher launcher = Pattern.compile("(?m)^default_opts=\"([^\"]+)\"$")
                .matcher(Files.readString(root.resolve("tally")));
        assertTrue(launcher.find(), "./tally defines default_opts");
        assertTrue(dockerfile.contains("ENTRYPOINT [\"sh\", \"-c\", \"exec java " + launcher.group(1)
                + " $TALLY_JAVA_OPTS -jar /opt/tally/tally.jar \\\"$@\\\"\", \"tally\"]"), "ENTRYPOINT with ./tally's defaults");
        assertTrue(dockerfile.contains("CMD [\"--storage.path=/data\", \"--web.listen-address=0.0.0.0:9090\", \"--otlp.listen-address=0.0.0.0:4318\", \"--otlp.grpc-listen-address=0.0.0.0:4317\"]"));
        assertTrue(Pattern.compile("(?m)^USER tally$").matcher(dockerfile).find(), "runs as a non-root user");
        assertTrue(dockerfile.contains("VOLUME [\"/data\"]"));
        assertTrue(Files.exists(root.resolve(".dockerignore")));
    }
}
