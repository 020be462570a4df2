package tally.server.web;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import tally.server.log.Log;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What {@code --web.config.file} asks of every listener, at run time: the TLS context for new connections, the
 * response headers, the rate limit and who may do what.
 *
 * <p>Who may do what: with {@code basic_auth_users}, every request on every listener needs a user's credentials (as
 * in Prometheus, {@code /metrics} and {@code /-/healthy} too). Tally's {@code tally_ingest_tokens} are bearer
 * tokens that may only send: accepted on the ingest endpoints, refused (403) elsewhere; with tokens and no users, the
 * ingest endpoints need a token (or nothing else) and the rest stays open.
 *
 * <p>Like Prometheus, the file is read again when it changes (checked at most once a second, on requests and new
 * connections); a change that does not parse is logged and the previous configuration stays in force. bcrypt runs
 * on one thread of its own, one check at a time (it is slow on purpose); successes and failures are cached by
 * (user, hash, password digest), so steady traffic pays for it once.
 */
public final class WebSecurity implements AutoCloseable {
    /** What a request does: endpoints that only take data in, or everything else. */
    public enum Access { READ, INGEST }

    /** Allowed ({@code status == 0}) or the HTTP status and challenge to answer with. */
    public record Decision(int status, String message, List<String> challenges) {
        static final Decision ALLOW = new Decision(0, null, List.of());

        public boolean allowed() {
            return status == 0;
        }
    }

    /** Requests allowed to wait for a bcrypt check at once; beyond, 429 at once, so a flood of guesses queues nowhere. */
    static final int MAX_PENDING_CHECKS = 64;
    /** Prometheus's fixed hash for unknown users ("fakepassword"), so timing does not tell whether a user exists. */
    private static final String UNKNOWN_USER_HASH = "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";
    private static final int CACHE_SIZE = 1024;
    private static final long RECHECK_MILLIS = 1000;

    private final Path file;
    private final ExecutorService bcrypt;
    private final AtomicInteger pending = new AtomicInteger();
    private final Map<String, Boolean> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
            return size() > CACHE_SIZE;
        }
    };
    private volatile WebConfig config;
    private volatile FileTime configTime;
    private volatile long lastCheck;
    private final Map<TlsContexts.Alpn, Tls> tls = new EnumMap<>(TlsContexts.Alpn.class);
    private RateLimiter rate;

    /** A built TLS context and the files it was built from, with their times when read. */
    private record Tls(WebConfig.Tls config, SslContext context, List<FileTime> times) {}

    private WebSecurity(Path file, WebConfig config) {
        this.file = file;
        this.config = config;
        this.configTime = file == null ? null : time(file);
        this.bcrypt = file == null ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "web-auth-bcrypt");
            t.setDaemon(true);
            return t;
        });
        this.rate = config.rateLimit() == null ? null : new RateLimiter(config.rateLimit(), System::nanoTime);
    }

    /** No web config file: plain HTTP, no authentication. */
    public static WebSecurity none() {
        return new WebSecurity(null, WebConfig.NONE);
    }

    /** Reads and checks {@code file} (TLS material included); an unusable file stops the start. */
    public static WebSecurity open(Path file) throws WebConfigException {
        WebConfig c = WebConfigParser.check(file);
        if (c.tls() != null) TlsContexts.applyCurves(c.tls().curves());
        WebSecurity s = new WebSecurity(file, c);
        Log.info("web config loaded", "file", file.toString(), "tls", Boolean.toString(c.tls() != null),
                "basic_auth_users", Integer.toString(c.users().size()), "ingest_tokens", Integer.toString(c.ingestTokens().size()));
        return s;
    }

    public boolean tlsEnabled() {
        return current().tls() != null;
    }

    /** The response headers of http_server_config. */
    public Map<String, String> headers() {
        return current().headers();
    }

    /** True unless rate_limit is set and its bucket is empty (then 429). */
    public synchronized boolean rateAllows() {
        return rate == null || rate.tryAcquire();
    }

    /** A TLS handler for a new connection, from the current certificate files (rebuilt when they change). */
    public SslHandler newSslHandler(ByteBufAllocator alloc, TlsContexts.Alpn alpn) {
        WebConfig.Tls t = current().tls();
        Tls built;
        synchronized (tls) {
            built = tls.get(alpn);
            List<FileTime> times = times(t);
            if (built == null || !Objects.equals(built.config, t) || !built.times.equals(times)) {
                try {
                    built = new Tls(t, TlsContexts.build(t, alpn), times);
                    tls.put(alpn, built);
                } catch (WebConfigException e) {
                    if (built == null) throw new IllegalStateException(e.getMessage(), e);
                    Log.error("TLS files changed and cannot be used; serving with the previous ones", "err", e.getMessage());
                }
            }
        }
        SslHandler h = built.context.newHandler(alloc);
        SSLEngine engine = h.engine();
        SSLParameters p = engine.getSSLParameters();
        p.setUseCipherSuitesOrder(t.preferServerCipherSuites());
        engine.setSSLParameters(p);
        return h;
    }

    /** The decision when it needs no bcrypt (nothing configured, cached, no or malformed credentials); else null. */
    public Decision quickCheck(String authorization, Access access) {
        return decide(current(), authorization, access, false);
    }

    /** The decision, running bcrypt on its own thread when needed; 429 when too many checks are waiting already. */
    public CompletableFuture<Decision> check(String authorization, Access access) {
        WebConfig c = current();
        Decision quick = decide(c, authorization, access, false);
        if (quick != null) return CompletableFuture.completedFuture(quick);
        if (pending.incrementAndGet() > MAX_PENDING_CHECKS) {
            pending.decrementAndGet();
            return CompletableFuture.completedFuture(new Decision(429, "Too Many Requests", List.of()));
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return decide(c, authorization, access, true);
            } finally {
                pending.decrementAndGet();
            }
        }, bcrypt);
    }

    private Decision decide(WebConfig c, String authorization, Access access, boolean slow) {
        if (!c.authenticates()) return Decision.ALLOW;
        boolean usersNeeded = !c.users().isEmpty();
        boolean readOpen = !usersNeeded;
        Credentials cred = Credentials.parse(authorization);
        if (cred != null && cred.basic() && usersNeeded) {
            String hash = c.users().get(cred.user());
            boolean known = hash != null;
            Boolean ok = verify("basic", cred.user(), known ? hash : UNKNOWN_USER_HASH, cred.secret(), slow);
            if (ok == null) return null;
            if (ok && known) return Decision.ALLOW;
        } else if (cred != null && !cred.basic() && !c.ingestTokens().isEmpty()) {
            boolean valid = false;
            for (Map.Entry<String, String> t : c.ingestTokens().entrySet()) {
                Boolean ok = verify("token", t.getKey(), t.getValue(), cred.secret(), slow);
                if (ok == null) return null;
                if (ok) {
                    valid = true;
                    break;
                }
            }
            if (valid) {
                if (access == Access.INGEST || readOpen) return Decision.ALLOW;
                return new Decision(403, "Forbidden: this token may only send data; querying needs a basic_auth_users user", List.of());
            }
        }
        if (access == Access.READ && readOpen) return Decision.ALLOW;
        List<String> challenges = new ArrayList<>();
        if (usersNeeded) challenges.add("Basic");
        if (access == Access.INGEST && !c.ingestTokens().isEmpty()) challenges.add("Bearer");
        return new Decision(401, "Unauthorized", challenges);
    }

    /** A cached answer, or (when {@code slow}) bcrypt's; null when only bcrypt can tell and {@code slow} is false. */
    private Boolean verify(String kind, String name, String hash, String secret, boolean slow) {
        String key = kind + ':' + hex(name) + ':' + hash + ':' + digest(secret);
        synchronized (cache) {
            Boolean hit = cache.get(key);
            if (hit != null || !slow) return hit;
        }
        boolean ok = Bcrypt.matches(secret, hash);
        synchronized (cache) {
            cache.put(key, ok);
        }
        return ok;
    }

    /** The configuration, read again when the file changed (at most one look a second). */
    public WebConfig current() {
        if (file == null) return config;
        long now = System.currentTimeMillis();
        if (now - lastCheck < RECHECK_MILLIS) return config;
        synchronized (this) {
            if (now - lastCheck < RECHECK_MILLIS) return config;
            lastCheck = now;
            FileTime t = time(file);
            if (Objects.equals(t, configTime)) return config;
            configTime = t;
            try {
                WebConfig c = WebConfigParser.check(file);
                config = c;
                rate = c.rateLimit() == null ? null : new RateLimiter(c.rateLimit(), System::nanoTime);
                synchronized (cache) {
                    cache.clear();
                }
                Log.info("web config reloaded", "file", file.toString());
            } catch (WebConfigException e) {
                Log.error("web config changed and cannot be used; the previous one stays in force", "err", e.getMessage());
            }
            return config;
        }
    }

    private static List<FileTime> times(WebConfig.Tls t) {
        List<FileTime> out = new ArrayList<>();
        for (Path p : new Path[] {t.certFile(), t.keyFile(), t.clientCaFile()}) out.add(p == null ? null : time(p));
        return out;
    }

    private static FileTime time(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return null;
        }
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The cache keeps a digest of the secret, not the secret. */
    private static String digest(String secret) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (bcrypt != null) bcrypt.shutdownNow();
    }
}
