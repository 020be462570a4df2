package tally.bench.load;

import java.util.Arrays;
import java.util.List;

/**
 * The load generator: {@code java -cp bench/target/benchmarks.jar tally.bench.load.LoadMain COMMAND [--options]}.
 * Commands: generate, replay, queries, stats, report, page, sink (see each command's class comment).
 */
public final class LoadMain {
    private LoadMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: LoadMain generate|replay|queries|stats|report|page|sink [--name=value ...]");
            System.exit(2);
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        int code;
        switch (args[0]) {
            case "generate": code = GenerateCommand.run(rest); break;
            case "replay": code = ReplayCommand.run(rest); break;
            case "queries": code = QueryCommand.run(rest); break;
            case "stats": code = StatsCommand.run(rest); break;
            case "report": code = ReportCommand.run(rest); break;
            case "page": code = PageCommand.run(rest); break;
            case "sink": code = SinkCommand.run(rest); break;
            default:
                System.err.println("unknown command " + args[0]);
                code = 2;
        }
        System.exit(code);
    }
}
