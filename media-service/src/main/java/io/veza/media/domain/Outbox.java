package io.veza.media.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veza.contracts.EventEnvelope;
import io.veza.contracts.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Writes a file event on the caller's connection, in its transaction; {@code OutboxRelay} ships it once committed. */
@ApplicationScoped
public class Outbox {
    /** Fired inside the transaction; observed after commit to relay without waiting for the next poll. */
    public record Written() {
    }

    @Inject
    ObjectMapper json;
    @Inject
    Event<Written> written;

    public ObjectNode data(LibraryFile file, String status) {
        ObjectNode data = json.createObjectNode();
        data.put("file_id", file.id());
        data.put("user_id", file.userId());
        data.put("is_public", file.isPublic());
        data.put("filename", file.filename());
        data.put("title", file.title());
        data.put("status", status);
        return data;
    }

    public void add(Connection c, String type, String fileId, ObjectNode data) throws SQLException {
        UUID id = UUID.randomUUID();
        EventEnvelope envelope = EventEnvelope.of(id.toString(), type, "/media-service", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), fileId, data);
        try (PreparedStatement s = c.prepareStatement("insert into outbox (id, topic, key, payload) values (?, ?, ?, ?)")) {
            s.setObject(1, id);
            s.setString(2, Topics.MEDIA);
            s.setString(3, fileId);
            s.setString(4, json.writeValueAsString(envelope));
            s.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        written.fire(new Written());
    }
}
