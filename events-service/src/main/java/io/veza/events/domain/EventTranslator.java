package io.veza.events.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veza.contracts.MediaEvents;
import io.veza.contracts.StreamEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Turns platform events (CloudEvents on Kafka) into the seed's WebSocket messages, with exactly the seed's fields.
 * Library events ({@code file_*}) concern one user's files, so they reach their owner only, public files included.
 */
@ApplicationScoped
public class EventTranslator {
    @Inject
    ObjectMapper json;

    public Optional<ClientMessage> translate(JsonNode envelope) {
        JsonNode data = envelope.path("data");
        String type = envelope.path("type").asText();
        ObjectNode out = json.createObjectNode();
        switch (type) {
            case StreamEvents.STARTED -> copy(out.put("event", "stream_started").putObject("data"), data,
                    "stream_id", "user_id", "username", "title", "category", "started_at");
            case StreamEvents.STOPPED -> {
                if (data.path("started_at").isNull()) {
                    // it never went live, so it was never announced: its end is not news either
                    return Optional.empty();
                }
                copy(out.put("event", "stream_stopped").putObject("data"), data, "stream_id", "user_id", "duration", "viewers_peak", "stopped_at");
            }
            case StreamEvents.VIEWERS_UPDATED -> copy(out.put("event", "viewer_count_updated").putObject("data"), data,
                    "stream_id", "viewers_count", "updated_at");
            case MediaEvents.FILE_UPLOADED -> copy(out.put("event", "file_uploaded").putObject("data"), data,
                    "file_id", "filename", "title", "size", "duration", "status").set("uploaded_at", envelope.path("time"));
            case MediaEvents.FILE_READY -> copy(out.put("event", "file_ready").putObject("data"), data,
                    "file_id", "filename", "title", "duration", "status", "hls_url", "renditions", "loudness_lufs")
                    .set("ready_at", envelope.path("time"));
            case MediaEvents.FILE_FAILED -> copy(out.put("event", "file_failed").putObject("data"), data,
                    "file_id", "filename", "title", "status", "reason").set("failed_at", envelope.path("time"));
            case MediaEvents.FILE_DELETED -> copy(out.put("event", "file_deleted").putObject("data"), data,
                    "file_id", "filename", "title").set("deleted_at", envelope.path("time"));
            default -> {
                return Optional.empty();
            }
        }
        boolean everyone = !type.startsWith(MediaEvents.PREFIX) && data.path("is_public").asBoolean(false);
        return Optional.of(new ClientMessage(envelope.path("id").asText(), out.toString(), everyone, data.path("user_id").asText(null)));
    }

    private static ObjectNode copy(ObjectNode target, JsonNode source, String... fields) {
        for (String field : fields) {
            if (source.has(field)) {
                target.set(field, source.get(field));
            }
        }
        return target;
    }
}
