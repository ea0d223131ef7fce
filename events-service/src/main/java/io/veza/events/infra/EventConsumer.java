package io.veza.events.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.veza.contracts.Topics;
import io.veza.events.api.StreamingSocket;
import io.veza.events.domain.EventTranslator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.Collection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads the event topics with a consumer group of its own per replica, so that every replica delivers every
 * event to its own clients. Starts at the end: WebSocket clients get what happens while they are connected.
 */
@ApplicationScoped
public class EventConsumer {
    private static final Logger LOG = Logger.getLogger(EventConsumer.class);
    private static final int SEEN_IDS = 10_000;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @Inject
    EventTranslator translator;
    @Inject
    StreamingSocket sockets;
    @Inject
    ObjectMapper json;

    private KafkaConsumer<String, String> consumer;
    private Thread thread;
    private volatile boolean running = true;
    private volatile boolean assigned;
    // redelivered events (a producer retry, a rebalance) reach clients once
    private final Map<String, Boolean> seen = new LinkedHashMap<>(SEEN_IDS, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > SEEN_IDS;
        }
    };

    void onStart(@Observes StartupEvent event) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "events-service-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        thread = new Thread(this::run, "events-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5000);
    }

    public boolean ready() {
        return assigned;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.STREAMS, Topics.MEDIA), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // resolve "latest" now, so that nothing published after we report ready is skipped
                    partitions.forEach(consumer::position);
                    assigned = true;
                }
            });
            while (running) {
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, String> record : records) {
                    handle(record.value());
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } catch (RuntimeException e) {
            LOG.error("Event consumer stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void handle(String value) {
        try {
            JsonNode envelope = json.readTree(value);
            String id = envelope.path("id").asText();
            if (seen.put(id, Boolean.TRUE) != null) {
                return;
            }
            translator.translate(envelope).ifPresent(sockets::broadcast);
        } catch (Exception e) {
            LOG.warnf("Skipping an unreadable event: %s", e.getMessage());
        }
    }
}
