package io.veza.stream.infra;

import io.quarkus.scheduler.Scheduled;
import io.veza.stream.domain.StreamService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Closes reconnect windows and never-published streams on time. */
@ApplicationScoped
public class ExpiryJob {
    @Inject
    StreamService streams;

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expire() {
        streams.expire();
    }
}
