package io.veza.stream.infra;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.veza.stream.domain.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
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
 * Ships committed outbox rows to Kafka, in commit order, then deletes them. Runs right after each commit and
 * every second as a fallback; if Kafka is down the rows stay and go out when it is back.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 200;
    // one relay at a time across replicas keeps per-stream order
    private static final long RELAY_LOCK = 0x5645_5A41_0001L;

    @Inject
    EntityManager em;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "outbox-relay"));
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
        if (producer != null && wakeQueued.compareAndSet(false, true)) {
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

    @SuppressWarnings("unchecked")
    private int relayBatch() throws Exception {
        Boolean locked = (Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(?1)").setParameter(1, RELAY_LOCK).getSingleResult();
        if (!locked) {
            return 0;
        }
        List<Object[]> rows = em.createNativeQuery("select seq, topic, key, payload from outbox order by seq limit " + BATCH).getResultList();
        List<Future<RecordMetadata>> sent = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            sent.add(producer.send(new ProducerRecord<>((String) row[1], (String) row[2], (String) row[3])));
        }
        for (Future<RecordMetadata> f : sent) {
            f.get(10, TimeUnit.SECONDS);
        }
        if (!rows.isEmpty()) {
            long last = ((Number) rows.get(rows.size() - 1)[0]).longValue();
            em.createNativeQuery("delete from outbox where seq <= ?1").setParameter(1, last).executeUpdate();
        }
        return rows.size();
    }
}
