package io.veza.media.infra;

import io.quarkus.scheduler.Scheduled;
import io.veza.media.domain.LiveStreams;
import io.veza.media.domain.MediaConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Reports each live stream's viewer count to stream-service when it changes; the period coalesces changes. */
@ApplicationScoped
public class ViewerCountReporter {
    private static final Logger LOG = Logger.getLogger(ViewerCountReporter.class);

    @Inject
    LiveStreams streams;
    @Inject
    MediaConfig config;
    @ConfigProperty(name = "veza.internal-secret")
    String secret;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Integer> reported = new ConcurrentHashMap<>();

    @Scheduled(every = "${veza.media.viewer-report-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void report() {
        Map<String, Integer> counts = streams.viewerCounts(config.viewerTimeout().toSeconds());
        reported.keySet().retainAll(counts.keySet());
        counts.forEach((streamId, count) -> {
            if (!count.equals(reported.getOrDefault(streamId, 0))) {
                send(streamId, count);
            }
        });
    }

    private void send(String streamId, int count) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.streamServiceUrl() + "/internal/streams/" + streamId + "/viewers"))
                .timeout(Duration.ofSeconds(3)).header("Content-Type", "application/json").header("X-Internal-Secret", secret)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"viewers_count\":" + count + "}")).build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 == 2) {
                reported.put(streamId, count);
            } else {
                LOG.warnf("stream-service answered %d to the viewer count of %s", status, streamId);
            }
        } catch (Exception e) {
            LOG.warnf("Cannot report viewers of %s: %s", streamId, e.toString());
        }
    }
}
