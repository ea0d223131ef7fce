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

    public record Stats(int transcoders, long segmentsStored, double segmentDelayMs, long lastSegmentAgeMs, String quality) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Stats stats() {
        List<String> running = transcoder.runningStreams();
        LiveHls.Stats s = hls.stats(running);
        // a rendition that has not produced a segment for three segment lengths is stalling
        String quality = running.isEmpty() ? "idle" : s.oldestLastSegmentAgeMs() > 3000L * config.liveSegmentSeconds() ? "degraded" : "good";
        return new Stats(running.size(), s.segmentsStored(), Math.round(s.averageStoreMs() * 10) / 10.0, s.oldestLastSegmentAgeMs(), quality);
    }
}
