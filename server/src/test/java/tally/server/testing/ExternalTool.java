package tally.server.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an optional command-line tool (promtool, docker-compose, nghttp) from a test. */
public final class ExternalTool {
    public record Result(int exitCode, String output) {}

    private ExternalTool() {}

    public static boolean onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    public static Result run(Path workDir, String... command) throws IOException, InterruptedException {
        // output goes to a file so a chatty tool cannot block on a full pipe while we wait for it
        Path log = Files.createTempFile("tool-", ".log");
        try {
            Process p = new ProcessBuilder(List.of(command)).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
