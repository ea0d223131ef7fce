package io.veza.media.domain;

import io.veza.contracts.ViewerToken;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Players cannot send a bearer token, so the {@code hls_url} of a private file carries a signed, expiring playback
 * token ({@code t}) that the origin checks on the playlists and segments. It expires on an hour boundary, so the URL
 * handed out stays the same for an hour (caches like that).
 */
@ApplicationScoped
public class PlaybackTokens {
    private static final Duration VALIDITY = Duration.ofHours(6);

    private final ViewerToken tokens;

    PlaybackTokens(@ConfigProperty(name = "veza.internal-secret") String secret) {
        this.tokens = new ViewerToken(secret);
    }

    public String issue(String fileId) {
        Instant expiry = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(VALIDITY);
        return tokens.issue(subject(fileId), "play", expiry);
    }

    public boolean valid(String fileId, String token) {
        return tokens.verify(subject(fileId), token, Instant.now()).isPresent();
    }

    private static String subject(String fileId) {
        return "file:" + fileId;
    }
}
