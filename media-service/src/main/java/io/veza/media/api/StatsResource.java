package io.veza.media.api;

import io.veza.media.domain.LiveHls;
import io.veza.media.domain.MediaConfig;
import io.veza.media.infra.LiveTranscoder;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Live transcoding figures for the gateway's /health: how many run, how fast segments are stored, stalls. */
@Path("/internal/stats")
public class StatsResource {
    @Inject
    LiveTranscoder transcoder;
    @Inject
    LiveHls hls;
    @Inject
    MediaConfig config;

    /** {@code segmentDelayMs}: mean time to store each of the last segments received; null while nothing is live. */
    public record Stats(int transcoders, long segmentsStored, Double segmentDelayMs, long lastSegmentAgeMs, String quality) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Stats stats() {
        List<String> running = transcoder.runningStreams();
        LiveHls.Stats s = hls.stats(running);
        // a rendition that has not produced a segment for three segment lengths is stalling
        String quality = running.isEmpty() ? "idle" : s.oldestLastSegmentAgeMs() > 3000L * config.liveSegmentSeconds() ? "degraded" : "good";
        Double delay = running.isEmpty() ? null : Math.round(s.averageStoreMs() * 10) / 10.0;
        return new Stats(running.size(), s.segmentsStored(), delay, s.oldestLastSegmentAgeMs(), quality);
    }
}
