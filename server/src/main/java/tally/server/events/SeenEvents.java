package tally.server.events;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which Claude Code events were already counted: per {@code session.id}, the {@code event.sequence} numbers seen.
 * An exporter that retries an export resends the same records, and Claude Code numbers each session's events, so
 * the pair identifies a record.
 *
 * <p>Bounded in time and size: a session is forgotten once no record of it has arrived for {@code windowMillis}
 * (24 h by default: OTLP exporters give up retrying within minutes) and at most {@code maxSessions} sessions are kept,
 * the least recently seen leaving first. A session costs ~200 bytes plus 16 per gap in its numbers. Persisted by
 * {@link SeenEventsJournal}. Not thread-safe: {@link ClaudeCodeEvents} calls it under its lock.
 */
final class SeenEvents {
    /** 200 k sessions: ~40 MiB at most; 1,000 developers start ~10-50 sessions a day each. */
    static final int DEFAULT_MAX_SESSIONS = 200_000;

    /** One session's marks and when a record of it last arrived (Tally's clock). */
    static final class Session {
        final SequenceRanges seen = new SequenceRanges();
        long lastSeenMillis;
    }

    /** Receives every session, least recently seen first. */
    interface Visitor {
        void session(String id, long lastSeenMillis, SequenceRanges seen);
    }

    private final long windowMillis;
    private final int maxSessions;
    // insertion order = order of last arrival: add() moves a session to the end, so expiry reads from the front
    private final LinkedHashMap<String, Session> sessions = new LinkedHashMap<>();
    private long evicted;

    SeenEvents(long windowMillis, int maxSessions) {
        this.windowMillis = windowMillis;
        this.maxSessions = maxSessions;
    }

    boolean contains(String session, long sequence) {
        Session s = sessions.get(session);
        return s != null && s.seen.contains(sequence);
    }

    void add(String session, long sequence, long nowMillis) {
        addRange(session, sequence, sequence, nowMillis);
    }

    /** Also used to restore a persisted session; {@code nowMillis} is when its records arrived. */
    void addRange(String session, long lo, long hi, long nowMillis) {
        Session s = sessions.remove(session);
        if (s == null) s = new Session();
        s.seen.add(lo, hi);
        s.lastSeenMillis = Math.max(s.lastSeenMillis, nowMillis);
        sessions.put(session, s);
        if (sessions.size() > maxSessions) {
            Iterator<Map.Entry<String, Session>> it = sessions.entrySet().iterator();
            it.next();
            it.remove();
            evicted++;
        }
    }

    /** Forgets sessions idle for longer than the window; returns how many. */
    int expire(long nowMillis) {
        long cutoff = nowMillis - windowMillis;
        int n = 0;
        Iterator<Session> it = sessions.values().iterator();
        while (it.hasNext()) {
            if (it.next().lastSeenMillis >= cutoff) break;
            it.remove();
            n++;
        }
        return n;
    }

    void forEach(Visitor v) {
        for (Map.Entry<String, Session> e : sessions.entrySet()) v.session(e.getKey(), e.getValue().lastSeenMillis, e.getValue().seen);
    }

    int sessions() { return sessions.size(); }

    /** Sessions dropped because {@code maxSessions} was reached (their resends would count again). */
    long evicted() { return evicted; }
}
