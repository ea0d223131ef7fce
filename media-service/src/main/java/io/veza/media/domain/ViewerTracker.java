package io.veza.media.domain;

import io.veza.contracts.ViewerToken;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Counts players by their playlist refreshes: a joined player carries a signed viewer session in its URLs. Its
 * refreshes are written at most every few seconds, so a crowd of players does not become a crowd of writes.
 */
@ApplicationScoped
public class ViewerTracker {
    private static final long WRITE_AT_MOST_EVERY_NANOS = 5_000_000_000L;

    @Inject
    LiveStreams streams;
    @Inject
    MediaConfig config;
    @ConfigProperty(name = "veza.internal-secret")
    String secret;

    private final Map<String, Long> lastWrite = new ConcurrentHashMap<>();
    private ViewerToken tokens;

    /** The session of a valid viewer token for this stream, recorded as watching now. */
    public boolean seen(String streamId, String viewerToken) {
        var session = tokens().verify(streamId, viewerToken, Instant.now());
        if (session.isEmpty()) {
            return false;
        }
        String key = streamId + "|" + session.get();
        long now = System.nanoTime();
        Long previous = lastWrite.get(key);
        // well inside the viewer timeout, so that a player that keeps refreshing never looks gone
        long writeEvery = Math.min(WRITE_AT_MOST_EVERY_NANOS, config.viewerTimeout().toNanos() / 3);
        if (previous == null || now - previous > writeEvery) {
            lastWrite.put(key, now);
            streams.viewerSeen(streamId, session.get());
        }
        if (lastWrite.size() > 100_000) {
            lastWrite.clear();
        }
        return true;
    }

    public boolean valid(String streamId, String viewerToken) {
        return tokens().verify(streamId, viewerToken, Instant.now()).isPresent();
    }

    private ViewerToken tokens() {
        if (tokens == null) {
            tokens = new ViewerToken(secret);
        }
        return tokens;
    }
}
