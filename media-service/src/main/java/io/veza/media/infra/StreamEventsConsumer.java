package io.veza.media.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.veza.contracts.StreamEvents;
import io.veza.contracts.Topics;
import io.veza.media.domain.LiveStreams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Stream lifecycle events drive the live transcoders. The consumer group is shared by all media-service replicas:
 * each stream's events (keyed by stream id) land on one partition, hence on one replica.
 */
@ApplicationScoped
public class StreamEventsConsumer {
    private static final Logger LOG = Logger.getLogger(StreamEventsConsumer.class);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @Inject
    LiveTranscoder transcoder;
    @Inject
    LiveStreams streams;
    @Inject
    ObjectMapper json;

    private KafkaConsumer<String, String> consumer;
    private Thread thread;
    private volatile boolean running = true;

    void onStart(@Observes StartupEvent event) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "media-live");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        thread = new Thread(this::run, "media-stream-events");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5000);
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.STREAMS));
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    handle(record.value());
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } catch (RuntimeException e) {
            LOG.error("Stream event consumer stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void handle(String value) {
        try {
            JsonNode event = json.readTree(value);
            JsonNode data = event.path("data");
            String streamId = data.path("stream_id").asText();
            switch (event.path("type").asText()) {
                case StreamEvents.STARTED, StreamEvents.PUBLISH_RESUMED -> {
                    if (streams.find(streamId).map(LiveStreams.LiveStream::ended).orElse(false)) {
                        return; // a replayed event of a stream that is over: stopped is final
                    }
                    streams.started(streamId, data.path("user_id").asText(), data.path("is_public").asBoolean());
                    transcoder.start(streamId);
                }
                case StreamEvents.PUBLISH_INTERRUPTED -> transcoder.interrupt(streamId);
                case StreamEvents.STOPPED -> {
                    streams.ended(streamId);
                    transcoder.finish(streamId);
                }
                default -> {
                    // not ours
                }
            }
        } catch (Exception e) {
            LOG.warnf("Skipping a stream event that could not be handled: %s", e.getMessage());
        }
    }
}
