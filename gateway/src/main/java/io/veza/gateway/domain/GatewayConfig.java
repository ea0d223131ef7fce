package io.veza.gateway.domain;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Where the services live and how long the gateway waits for them. */
@ConfigMapping(prefix = "veza.gateway")
public interface GatewayConfig {
    /** Base URLs, e.g. {@code http://127.0.0.1:8181}; any path part is ignored. */
    String streamService();

    String mediaService();

    String playlistService();

    String eventsService();

    /** Waiting for a pooled connection or establishing a new one; past it the service is unavailable (503). */
    @WithDefault("5s")
    Duration connectTimeout();

    /** From the end of the request body to the response headers (504 past it). */
    @WithDefault("30s")
    Duration responseTimeout();

    /** The same for uploads, which the media service probes and stores before it answers. */
    @WithDefault("10m")
    Duration uploadResponseTimeout();

    @WithDefault("2s")
    Duration healthTimeout();

    /** How long a {@code /health} answer is reused, so that polling it cannot flood the services. */
    @WithDefault("1s")
    Duration healthCache();

    /** Keep-alive HTTP/1.1 connections per service. */
    @WithDefault("64")
    int poolSize();

    /** Requests allowed to wait for a pooled connection; beyond it the answer is an immediate 503. */
    @WithDefault("1024")
    int poolWaitQueue();

    /** Concurrent proxied WebSockets to the events service. */
    @WithDefault("10000")
    int websocketMaxConnections();

    /** Verified tokens remembered so that the RSA check is not repeated on every request. */
    @WithDefault("10000")
    int tokenCacheSize();

    @WithDefault("60s")
    Duration tokenCacheTtl();

    /** Sent as {@code X-Internal-Secret} when reading the services' {@code /internal/stats}. */
    Optional<String> internalSecret();
}
