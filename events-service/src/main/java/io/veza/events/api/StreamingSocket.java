package io.veza.events.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.veza.contracts.ErrorCode;
import io.veza.contracts.Problem;
import io.veza.events.domain.ClientMessage;
import io.veza.events.domain.EventsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * {@code /ws/streaming}: anonymous clients get public-stream events; a client with a valid token (Authorization
 * header or {@code ?token=}, since browsers cannot set headers on a WebSocket) also gets its own private ones.
 * A bad token is refused (401), not silently downgraded to anonymous.
 */
@ApplicationScoped
public class StreamingSocket {
    private static final Logger LOG = Logger.getLogger(StreamingSocket.class);
    public static final String PATH = "/ws/streaming";

    record Client(ServerWebSocket socket, String userId, long[] lastPong) {
    }

    @Inject
    JWTParser jwtParser;
    @Inject
    EventsConfig config;
    @Inject
    Vertx vertx;
    @Inject
    MeterRegistry metrics;

    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private Counter slowClientsCut;
    private Counter delivered;

    void install(@Observes Router router) {
        metrics.gaugeCollectionSize("veza.events.clients", java.util.List.of(), clients);
        slowClientsCut = metrics.counter("veza.events.slow.clients.disconnected");
        delivered = metrics.counter("veza.events.messages.delivered");
        router.route(PATH).handler(this::upgrade);
        vertx.setPeriodic(config.pingInterval().toMillis(), id -> pingAll());
    }

    private void upgrade(RoutingContext ctx) {
        String userId;
        try {
            userId = authenticate(ctx);
        } catch (ParseException e) {
            ctx.response().setStatusCode(401).putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end(io.vertx.core.json.Json.encode(Problem.of(ErrorCode.UNAUTHORIZED, "Invalid token", ctx.request().getHeader("X-Request-Id"))));
            return;
        }
        ctx.request().toWebSocket().onSuccess(socket -> {
            socket.setWriteQueueMaxSize(config.maxQueuedBytes());
            Client client = new Client(socket, userId, new long[] {System.nanoTime()});
            clients.add(client);
            socket.pongHandler(pong -> client.lastPong()[0] = System.nanoTime());
            socket.frameHandler(frame -> client.lastPong()[0] = System.nanoTime());
            socket.closeHandler(v -> clients.remove(client));
            socket.exceptionHandler(e -> clients.remove(client));
        }).onFailure(e -> LOG.debugf("WebSocket upgrade failed: %s", e.getMessage()));
    }

    private String authenticate(RoutingContext ctx) throws ParseException {
        String header = ctx.request().getHeader("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
                : ctx.request().getParam("token");
        if (token == null || token.isEmpty()) {
            return null;
        }
        JsonWebToken jwt = jwtParser.parse(token);
        return jwt.getSubject();
    }

    /** Sends a message to every client allowed to see it; a client that stopped reading is cut off instead of buffered. */
    public void broadcast(ClientMessage message) {
        for (Client client : clients) {
            if (!message.visibleTo(client.userId())) {
                continue;
            }
            ServerWebSocket socket = client.socket();
            if (socket.writeQueueFull()) {
                if (clients.remove(client)) {
                    slowClientsCut.increment();
                    LOG.infof("Disconnecting a WebSocket client that does not read (%s)", socket.remoteAddress());
                    socket.close((short) 1008, "too slow").onFailure(e -> { });
                }
                continue;
            }
            socket.writeTextMessage(message.json()).onSuccess(v -> delivered.increment());
        }
    }

    private void pingAll() {
        long idleLimit = config.idleTimeout().toNanos();
        long now = System.nanoTime();
        for (Client client : clients) {
            if (now - client.lastPong()[0] > idleLimit) {
                clients.remove(client);
                client.socket().close((short) 1001, "no pong").onFailure(e -> { });
            } else {
                client.socket().writePing(Buffer.buffer("ping")).onFailure(e -> clients.remove(client));
            }
        }
    }

    public int clientCount() {
        return clients.size();
    }
}
