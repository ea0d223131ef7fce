package io.veza.stream.infra;

import io.veza.stream.domain.IngestControl;
import io.veza.stream.domain.StreamConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jboss.logging.Logger;

/** Drops an encoder through nginx-rtmp's control module. */
@ApplicationScoped
public class NginxIngestControl implements IngestControl {
    private static final Logger LOG = Logger.getLogger(NginxIngestControl.class);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Inject
    StreamConfig config;

    @Override
    public void dropPublisher(String streamId) {
        URI uri = URI.create(config.ingestControlUrl() + "/drop/publisher?app=live&name=" + URLEncoder.encode(streamId, StandardCharsets.UTF_8));
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            LOG.infof("Dropped the encoder of stream %s (ingest answered %d)", streamId, response.statusCode());
        } catch (Exception e) {
            // the stream is stopped either way: a re-publish with its key is refused
            LOG.warnf("Could not drop the encoder of stream %s: %s", streamId, e.toString());
        } 
    }
}
