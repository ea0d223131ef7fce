package io.veza.events.infra;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the consumer has its partitions: before that, events would be missed. */
@Readiness
@ApplicationScoped
public class ConsumerReadiness implements HealthCheck {
    @Inject
    EventConsumer consumer;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("kafka-consumer").status(consumer.ready()).build();
    }
}
