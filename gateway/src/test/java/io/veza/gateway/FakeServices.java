package io.veza.gateway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Small HTTP/WebSocket servers standing in for the four services, so that the gateway's own behaviour can be
 * observed: they echo what they receive, answer slowly or break on request, and report what they saw on
 * {@code /fake/*}. The {@code down} init arg names services whose URL points at a port nobody listens on.
 */
public class FakeServices implements QuarkusTestResourceLifecycleManager {
    static final String[] SERVICES = {"stream-service", "media-service", "playlist-service", "events-service"};
    static final int FLOOD_CAP = 128 * 1024 * 1024;

    private final Map<String, JsonObject> uploads = new ConcurrentHashMap<>();
    private final List<Integer> webSocketCloses = new CopyOnWriteArrayList<>();
    private final AtomicLong flooded = new AtomicLong();
    private Vertx vertx;
    private List<String> down = List.of();

    @Override
    public void init(Map<String, String> initArgs) {
        down = List.of(initArgs.getOrDefault("down", "").split(","));
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        Map<String, String> config = new HashMap<>();
        for (String service : SERVICES) {
            int port = down.contains(service) ? deadPort() : serve(service);
            config.put("veza.gateway." + service, "http://127.0.0.1:" + port);
        }
        return config;
    }

    @Override
    public void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private int serve(String service) {
        HttpServer server = vertx.createHttpServer()
                .requestHandler(request -> handle(service, request))
                .webSocketHandler(this::webSocket);
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join().actualPort();
    }

    private static int deadPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(String service, HttpServerRequest request) {
        String path = request.path();
        if (path.equals("/q/health/ready")) {
            request.response().putHeader("Content-Type", "application/json").end("{\"status\":\"UP\"}");
        } else if (path.equals("/internal/stats") && service.equals("stream-service")) {
            request.response().putHeader("Content-Type", "application/json").end("{\"live_streams\":3}");
        } else if (path.equals("/internal/stats") && service.equals("media-service")) {
            request.response().putHeader("Content-Type", "application/json")
                    .end("{\"transcoders\":2,\"segment_delay_ms\":1800,\"quality\":\"good\"}");
        } else if (path.startsWith("/fake/uploads/")) {
            JsonObject upload = uploads.get(path.substring("/fake/uploads/".length()));
            request.response().setStatusCode(upload == null ? 404 : 200).end(upload == null ? "" : upload.encode());
        } else if (path.equals("/fake/ws-closes")) {
            request.response().end(new JsonObject().put("closes", new JsonArray(List.copyOf(webSocketCloses))).encode());
        } else if (path.equals("/fake/flood")) {
            request.response().end(new JsonObject().put("written", flooded.get()).encode());
        } else if (path.endsWith("/slow")) {
            track(request);
            vertx.setTimer(3000, id -> request.response().end("late"));
        } else if (path.endsWith("/reset")) {
            request.connection().close();
        } else if (path.endsWith("/missing")) {
            request.response().setStatusCode(404).putHeader("Content-Type", "application/problem+json")
                    .putHeader("X-Service-Header", "kept")
                    .end("{\"status\":404,\"code\":\"STREAM_NOT_FOUND\",\"detail\":\"No stream str_x\"}");
        } else if (path.endsWith("/big.ts")) {
            download(request, 64L * 1024 * 1024);
        } else {
            echo(service, request);
        }
    }

    /** Reads the body as it comes (counting and hashing, never holding it) and answers with what it received. */
    private void echo(String service, HttpServerRequest request) {
        MessageDigest sha = sha256();
        long[] bytes = new long[1];
        Buffer small = Buffer.buffer();
        JsonObject upload = track(request);
        long limit = request.getParam("limit") == null ? Long.MAX_VALUE : Long.parseLong(request.getParam("limit"));
        request.handler(chunk -> {
            bytes[0] += chunk.length();
            sha.update(chunk.getBytes());
            if (small.length() < 65536) {
                small.appendBuffer(chunk);
            }
            upload.put("bytes", bytes[0]);
            if (bytes[0] > limit && !request.response().ended()) {
                // like the media service: refuse as soon as the limit is crossed (the rest is read and dropped)
                request.response().setStatusCode(413).putHeader("Content-Type", "application/problem+json")
                        .end("{\"status\":413,\"code\":\"FILE_TOO_LARGE\"}");
            }
        });
        request.endHandler(v -> {
            upload.put("state", "done");
            if (request.response().ended()) {
                return;
            }
            JsonObject headers = new JsonObject();
            request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
            request.response().putHeader("Content-Type", "application/json").putHeader("X-Request-Id", "from-the-service")
                    .end(new JsonObject().put("service", service).put("method", request.method().name())
                            .put("uri", request.uri()).put("headers", headers).put("bytes", bytes[0])
                            .put("sha256", HexFormat.of().formatHex(sha.digest()))
                            .put("body", bytes[0] <= 65536 ? small.toString() : null).encode());
        });
    }

    private JsonObject track(HttpServerRequest request) {
        JsonObject upload = new JsonObject().put("bytes", 0L).put("state", "receiving");
        String id = request.getHeader("X-Upload-Id");
        if (id != null) {
            uploads.put(id, upload);
            request.exceptionHandler(e -> upload.put("state", "aborted"));
        }
        return upload;
    }

    /** A long response written with backpressure, in 64 KB chunks of a known pattern. */
    private void download(HttpServerRequest request, long size) {
        request.response().putHeader("Content-Type", "video/mp2t").setChunked(true);
        Buffer chunk = Buffer.buffer(pattern(65536));
        long[] left = {size};
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            while (left[0] > 0 && !request.response().writeQueueFull()) {
                request.response().write(chunk);
                left[0] -= chunk.length();
            }
            if (left[0] > 0) {
                request.response().drainHandler(v -> pump[0].run());
            } else {
                request.response().end();
            }
        };
        pump[0].run();
    }

    /**
     * The events service: refuses {@code ?reject} with 429, says hello with what it got, echoes frames, closes on {@code close:CODE:REASON}, and on
     * {@code flood} sends a lot, as fast as it is allowed to (how much it wrote is on {@code /fake/flood}).
     */
    private void webSocket(ServerWebSocket socket) {
        if ("reject".equals(socket.query())) {
            socket.reject(429);
            return;
        }
        socket.writeTextMessage(new JsonObject().put("hello", true)
                .put("authorization", socket.headers().get("Authorization"))
                .put("token", socket.query() == null ? null : socket.query().replaceFirst("^token=", ""))
                .put("request_id", socket.headers().get("X-Request-Id")).encode());
        socket.textMessageHandler(text -> {
            if (text.startsWith("close:")) {
                String[] parts = text.split(":", 3);
                socket.close(Short.parseShort(parts[1]), parts[2]);
            } else if (text.equals("flood")) {
                flood(socket);
            } else {
                socket.writeTextMessage(text);
            }
        });
        socket.binaryMessageHandler(socket::writeBinaryMessage);
        socket.closeHandler(v -> webSocketCloses.add(socket.closeStatusCode() == null ? -1 : (int) socket.closeStatusCode()));
    }

    /** Writes {@link #FLOOD_CAP} bytes as fast as the socket takes them, then says so. */
    private void flood(ServerWebSocket socket) {
        flooded.set(0);
        Buffer frame = Buffer.buffer(pattern(65536));
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            while (!socket.writeQueueFull() && flooded.get() < FLOOD_CAP) {
                socket.writeBinaryMessage(frame);
                flooded.addAndGet(frame.length());
            }
            if (flooded.get() < FLOOD_CAP) {
                socket.drainHandler(v -> pump[0].run());
            } else {
                socket.writeTextMessage("flooded:" + flooded.get());
            }
        };
        pump[0].run();
    }

    static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
