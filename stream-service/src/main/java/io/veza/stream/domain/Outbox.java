package io.veza.stream.domain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veza.contracts.EventEnvelope;
import io.veza.contracts.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/** Writes a stream event in the caller's transaction; {@code OutboxRelay} ships it once committed. */
@ApplicationScoped
public class Outbox {
    /** Fired inside the transaction; observed after commit to relay without waiting for the next poll. */
    public record Written() {
    }

    @Inject
    EntityManager em;
    @Inject
    ObjectMapper json;
    @Inject
    Event<Written> written;

    @Transactional(Transactional.TxType.MANDATORY)
    public void add(String type, Stream stream, ObjectNode data, Instant time) {
        data.put("stream_id", stream.id);
        data.put("user_id", stream.userId);
        data.put("is_public", stream.isPublic);
        UUID id = UUID.randomUUID();
        EventEnvelope envelope = EventEnvelope.of(id.toString(), type, "/stream-service", time.toString(), stream.id, data);
        try {
            em.createNativeQuery("insert into outbox (id, topic, key, payload) values (?1, ?2, ?3, ?4)")
                    .setParameter(1, id)
                    .setParameter(2, Topics.STREAMS)
                    .setParameter(3, stream.id)
                    .setParameter(4, json.writeValueAsString(envelope))
                    .executeUpdate();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        written.fire(new Written());
    }

    public ObjectNode data() {
        return json.createObjectNode();
    }
}
