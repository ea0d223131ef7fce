package io.veza.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic of the real broker from the beginning until an event matches. */
public final class KafkaEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KafkaEvents() {
    }

    public static JsonNode await(String topic, Predicate<JsonNode> match, Duration timeout) {
        return await(RealKafka.bootstrapServers(), topic, match, timeout);
    }

    public static JsonNode await(String bootstrapServers, String topic, Predicate<JsonNode> match, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode event = JSON.readTree(record.value());
                    if (match.test(event)) {
                        return event;
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        throw new AssertionError("no matching event on " + topic + " within " + timeout);
    }

    /** Matches an event by type and subject (the entity id). */
    public static Predicate<JsonNode> event(String type, String subject) {
        return e -> type.equals(e.path("type").asText()) && subject.equals(e.path("subject").asText());
    }
}
