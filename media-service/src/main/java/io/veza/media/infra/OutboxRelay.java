package io.veza.media.infra;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.veza.media.domain.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Ships committed file events to Kafka in commit order, then deletes them. Runs right after each commit and every
 * second as a fallback; while Kafka is down the rows wait.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 200;
    // one relay at a time across replicas keeps per-file order
    private static final long RELAY_LOCK = 0x5645_5A41_0002L;

    @Inject
    AgroalDataSource db;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "media-outbox-relay"));
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private volatile boolean kafkaWasDown;
    private KafkaProducer<String, String> producer;

    void onStart(@Observes StartupEvent event) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "3000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "6000");
        producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        wake();
    }

    void onStop(@Observes ShutdownEvent event) {
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(java.time.Duration.ofSeconds(2));
    }

    void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) Outbox.Written written) {
        wake();
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        wake();
    }

    private void wake() {
        // the scheduler may still fire while the service shuts down
        if (producer != null && !worker.isShutdown() && wakeQueued.compareAndSet(false, true)) {
            worker.execute(this::drain);
        }
    }

    private void drain() {
        wakeQueued.set(false);
        try {
            while (QuarkusTransaction.requiringNew().call(this::relayBatch) == BATCH) {
                // more waiting
            }
            if (kafkaWasDown) {
                LOG.info("Outbox relay: Kafka reachable again");
                kafkaWasDown = false;
            }
        } catch (Exception e) {
            if (!kafkaWasDown) {
                LOG.warnf("Outbox relay: events held back, will retry: %s", e.getMessage());
                kafkaWasDown = true;
            }
        }
    }

    private int relayBatch() throws Exception {
        try (Connection c = db.getConnection()) {
            try (PreparedStatement lock = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
                lock.setLong(1, RELAY_LOCK);
                try (ResultSet rs = lock.executeQuery()) {
                    if (!rs.next() || !rs.getBoolean(1)) {
                        return 0;
                    }
                }
            }
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            long last = -1;
            try (PreparedStatement s = c.prepareStatement("select seq, topic, key, payload from outbox order by seq limit " + BATCH);
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    last = rs.getLong(1);
                    sent.add(producer.send(new ProducerRecord<>(rs.getString(2), rs.getString(3), rs.getString(4))));
                }
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(10, TimeUnit.SECONDS);
            }
            if (last >= 0) {
                try (PreparedStatement delete = c.prepareStatement("delete from outbox where seq <= ?")) {
                    delete.setLong(1, last);
                    delete.executeUpdate();
                }
            }
            return sent.size();
        }
    }
}
