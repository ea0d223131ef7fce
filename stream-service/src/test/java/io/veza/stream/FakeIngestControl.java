package io.veza.stream;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records the control calls stream-service makes to the ingest (the real nginx is exercised by the end-to-end
 * test); here we only need to see that stopping a publishing stream asks the ingest to drop its encoder.
 */
public class FakeIngestControl implements QuarkusTestResourceLifecycleManager {
    public static final List<String> CALLS = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/control", exchange -> {
            CALLS.add(exchange.getRequestURI().toString());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return Map.of("veza.ingest-control-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/control");
    }

    @Override
    public void stop() {
        server.stop(0);
    }
}
