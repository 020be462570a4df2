package tally.server;

import tally.server.config.ConfigException;
import tally.server.config.Flags;
import tally.server.config.ServerConfig;
import tally.server.log.Log;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code tally} command: {@code tally [serve] [flags]} (default), {@code --help}, {@code --version}.
 * Subcommands are dispatched in {@link #run}: {@code promqltest}, {@code setup-claude}, and promtool's
 * {@code test rules}, {@code check rules}, {@code check config}.
 */
public final class Main {
    public static final String VERSION = "0.1.0";

    /**
     * The storage engine {@code serve} opens. Plug the real engine in here, e.g.
     * {@code cfg -> TallyStorage.open(Path.of(cfg.storagePath), cfg.retention)}.
     */
    static StorageFactory storageFactory = StorageWiring::open;

    private Main() {}

    public static void main(String[] args) {
        System.setProperty("chronicle.analytics.disable", "true");
        tally.model.Fatal.installUncaughtHandler();
        int code = run(args, storageFactory, System.out, System.err);
        // exit even if a library left a non-daemon thread behind (the shutdown hook has closed the server)
        System.exit(code);
    }

    /** Runs a command; returns the exit code ({@code serve} returns only after shutdown). */
    public static int run(String[] args, StorageFactory storage, PrintStream out, PrintStream err) {
        System.setProperty("chronicle.analytics.disable", "true");
        tally.server.log.JulBridge.install();
        List<String> rest = Arrays.asList(args);
        String command = "serve";
        if (!rest.isEmpty() && !rest.get(0).startsWith("-")) {
            command = rest.get(0);
            rest = rest.subList(1, rest.size());
        }
        if ((rest.contains("--help") || rest.contains("-h")) && !command.equals("setup-claude")) {
            out.print(Flags.help());
            return 0;
        }
        if (rest.contains("--version")) {
            out.println("tally, version " + VERSION + " (java " + System.getProperty("java.version") + ")");
            return 0;
        }
        switch (command) {
            case "serve":
                return serve(rest, storage, err);
            case "promqltest":
                return PromqlTestCommand.run(rest, out, err);
            case "test":
                return RuleCommands.test(rest, out, err);
            case "check":
                return RuleCommands.check(rest, out, err);
            case "web-token":
                return tally.server.web.WebTokenCommand.run(rest, out, err);
            case "setup-claude":
                return tally.server.setup.SetupClaude.run(rest.toArray(new String[0]), out, err,
                        java.nio.file.Path.of(System.getProperty("user.home")));
            default:
                err.println("tally: unknown command \"" + command + "\" (see --help)");
                return 2;
        }
    }

    private static int serve(List<String> args, StorageFactory factory, PrintStream err) {
        ServerConfig cfg;
        try {
            cfg = Flags.parse(args);
        } catch (ConfigException e) {
            err.println("tally: " + e.getMessage());
            return 2;
        }
        Log.setLevel(cfg.logLevel);
        if (cfg.webConfigFile != null) {
            try {
                tally.server.web.WebConfigParser.check(java.nio.file.Path.of(cfg.webConfigFile));
            } catch (tally.server.web.WebConfigException e) {
                err.println("tally: " + e.getMessage());
                return 2;
            }
        }
        TallyServer server;
        try {
            server = new TallyServer(cfg, factory.open(cfg));
        } catch (ConfigException e) {
            err.println("tally: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("tally: cannot open storage at " + cfg.storagePath + ": " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        server.onQuit(() -> { // POST /-/quit
            server.close();
            stopped.countDown();
        });
        try {
            server.start();
            server.rules().reloadOnSighup();
            Log.info("Tally started", "page", server.pageUrl(), "version", VERSION, "storage", cfg.storagePath, "retention", tally.server.config.Units.formatDuration(cfg.retention));
            stopped.await();
            return 0;
        } catch (Exception e) {
            err.println("tally: cannot start: " + e.getMessage());
            Runtime.getRuntime().removeShutdownHook(hook);
            server.close();
            return 1;
        }
    }
}
