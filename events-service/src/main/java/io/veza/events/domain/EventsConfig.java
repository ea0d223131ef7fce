package io.veza.events.domain;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "veza.events")
public interface EventsConfig {
    /** Bytes a client may leave unread before it is cut off; a client that does not read never grows our memory. */
    @WithDefault("262144")
    int maxQueuedBytes();

    /** How often the server pings each client. */
    @WithDefault("20s")
    Duration pingInterval();

    /** A client that has not answered a ping for this long is disconnected. */
    @WithDefault("60s")
    Duration idleTimeout();
}
