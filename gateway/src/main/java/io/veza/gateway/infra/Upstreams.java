package io.veza.gateway.infra;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.veza.gateway.domain.GatewayConfig;
import io.veza.gateway.domain.Upstream;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.EnumMap;
import java.util.Map;

/** One pool of keep-alive connections per service, plus the WebSocket client for the events service. */
@ApplicationScoped
public class Upstreams {
    /** Where a service listens. */
    public record Address(String host, int port, boolean ssl) {
        static Address of(String baseUrl) {
            URI uri = URI.create(baseUrl);
            boolean ssl = "https".equalsIgnoreCase(uri.getScheme());
            return new Address(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80, ssl);
        }
    }

    private final Map<Upstream, HttpClient> clients = new EnumMap<>(Upstream.class);
    private final Map<Upstream, Address> addresses = new EnumMap<>(Upstream.class);
    private final WebSocketClient webSockets;

    @Inject
    public Upstreams(Vertx vertx, GatewayConfig config) {
        int connectTimeout = (int) config.connectTimeout().toMillis();
        for (Upstream upstream : Upstream.values()) {
            Address address = Address.of(upstream.baseUrl(config));
            addresses.put(upstream, address);
            HttpClientOptions options = new HttpClientOptions()
                    .setDefaultHost(address.host()).setDefaultPort(address.port()).setSsl(address.ssl())
                    .setKeepAlive(true).setConnectTimeout(connectTimeout)
                    // bodies pass through exactly as the service wrote them
                    .setDecompressionSupported(false)
                    .setName("gateway-" + upstream.id);
            PoolOptions pool = new PoolOptions().setHttp1MaxSize(config.poolSize()).setMaxWaitQueueSize(config.poolWaitQueue());
            clients.put(upstream, vertx.createHttpClient(options, pool));
        }
        Address events = addresses.get(Upstream.EVENTS);
        webSockets = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setDefaultHost(events.host()).setDefaultPort(events.port()).setSsl(events.ssl())
                .setConnectTimeout(connectTimeout).setMaxConnections(config.websocketMaxConnections()));
    }

    public HttpClient http(Upstream upstream) {
        return clients.get(upstream);
    }

    public Address address(Upstream upstream) {
        return addresses.get(upstream);
    }

    public WebSocketClient webSockets() {
        return webSockets;
    }

    @PreDestroy
    void close() {
        clients.values().forEach(HttpClient::close);
        webSockets.close();
    }
}
