package io.veza.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** A CloudEvents 1.0 structured-mode event as written to Kafka. */
public record EventEnvelope(
        @JsonProperty("specversion") String specVersion,
        String id,
        String type,
        String source,
        String time,
        String subject,
        @JsonProperty("datacontenttype") String dataContentType,
        JsonNode data) {

    public static EventEnvelope of(String id, String type, String source, String time, String subject, JsonNode data) {
        return new EventEnvelope("1.0", id, type, source, time, subject, "application/json", data);
    }
}
