package tally.bench.storage;

import java.util.Random;
import java.util.UUID;
import tally.model.Labels;

/** Label sets shaped like Claude Code's: many short-lived sessions, ~12 labels each. */
final class ClaudeSeries {
    static final String[] MODELS = {"claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5"};
    static final String[] TYPES = {"input", "output", "cacheRead", "cacheCreation"};

    private ClaudeSeries() {}

    /** The token-usage series of one session: one per model x type. */
    static Labels[] session(Random r, int user) {
        String session = new UUID(r.nextLong(), r.nextLong()).toString();
        String userId = new UUID(user, 42).toString();
        Labels[] out = new Labels[MODELS.length * TYPES.length];
        int k = 0;
        for (String model : MODELS) {
            for (String type : TYPES) {
                out[k++] = Labels.of("__name__", "claude_code_token_usage_tokens_total", "job", "claude-code",
                        "service_name", "claude-code", "service_version", "2.1.330", "session_id", session,
                        "user_account_uuid", userId, "organization_id", "org-" + (user % 7), "model", model,
                        "type", type, "terminal_type", "vscode", "os_type", "linux", "host_arch", "amd64");
            }
        }
        return out;
    }
}
