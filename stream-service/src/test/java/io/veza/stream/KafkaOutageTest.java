package io.veza.stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.veza.contracts.StreamEvents;
import io.veza.contracts.Topics;
import io.veza.testing.KafkaEvents;
import io.veza.testing.RealInfra;
import io.veza.testing.RealKafka;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kafka is down when the stream goes live: the state change commits, its event waits in the outbox, and ships once Kafka is back. */
@QuarkusTest
@TestProfile(KafkaOutageTest.KafkaNotThereYet.class)
@QuarkusTestResource(value = RealInfra.class, initArgs = {@ResourceArg(name = "db", value = "streams_outage"), @ResourceArg(name = "kafka", value = "false")})
@QuarkusTestResource(FakeIngestControl.class)
class KafkaOutageTest {
    static final int KAFKA_PORT;

    static {
        try {
            KAFKA_PORT = RealKafka.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static class KafkaNotThereYet implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kafka.bootstrap.servers", "127.0.0.1:" + KAFKA_PORT);
        }
    }

    @Inject
    AgroalDataSource db;

    @Test
    void events_written_while_kafka_is_down_are_delivered_when_it_comes_back() throws Exception {
        Map<String, Object> s = StreamApiTest.started(StreamApiTest.user(), true);
        String id = (String) s.get("stream_id");
        StreamApiTest.publish((String) s.get("stream_key")).statusCode(302);
        Thread.sleep(3000); // several relay attempts fail meanwhile
        assertEquals(1, pending(id), "the event waits in the outbox");

        String kafka = RealKafka.startOn(KAFKA_PORT);
        KafkaEvents.await(kafka, Topics.STREAMS, KafkaEvents.event(StreamEvents.STARTED, id), Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(30)).until(() -> pending(id) == 0);
    }

    long pending(String streamId) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement("select count(*) from outbox where key = ?")) {
            q.setString(1, streamId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
