package io.veza.gateway;

import static io.veza.gateway.Gateway.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.veza.testing.RealInfra;
import io.veza.testing.TestTokens;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = RealInfra.class, initArgs = @ResourceArg(name = "kafka", value = "false"), restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeServices.class, restrictToAnnotatedClass = true)
class WebSocketProxyTest {
    static final String TOKEN = TestTokens.user("carol");

    /** Collects whole messages; "close:CODE:REASON" is queued when the socket closes. */
    static final class Client implements WebSocket.Listener {
        final LinkedBlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private ByteBuffer binary = ByteBuffer.allocate(0);
        final AtomicLong binaryBytes = new AtomicLong();
        volatile boolean reading = true;
        WebSocket socket;

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            next(webSocket);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            binaryBytes.addAndGet(data.remaining());
            ByteBuffer joined = ByteBuffer.allocate(binary.remaining() + data.remaining()).put(binary).put(data);
            binary = joined.flip();
            if (last) {
                if (binary.remaining() < 1024) {
                    messages.add(binary);
                }
                binary = ByteBuffer.allocate(0);
            }
            next(webSocket);
            return null;
        }

        private void next(WebSocket webSocket) {
            if (reading) {
                webSocket.request(1);
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            messages.add("close:" + statusCode + ":" + reason);
            return null;
        }

        Object next() throws InterruptedException {
            return next(10);
        }

        Object next(int seconds) throws InterruptedException {
            Object message = messages.poll(seconds, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("no message within " + seconds + " s");
            }
            return message;
        }

        JsonObject hello() throws InterruptedException {
            return new JsonObject((String) next());
        }
    }

    static Client connect(String query, String authorization) {
        Client client = new Client();
        WebSocket.Builder builder = Gateway.CLIENT.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        URI uri = URI.create(Gateway.uri("/ws/streaming").toString().replace("http:", "ws:") + (query == null ? "" : "?" + query));
        builder.buildAsync(uri, client).join();
        return client;
    }

    @Test
    void an_anonymous_client_connects_and_messages_flow_both_ways() throws Exception {
        Client client = connect(null, null);
        JsonObject hello = client.hello();
        assertNull(hello.getString("authorization"));
        assertTrue(hello.getString("request_id").length() > 0);
        client.socket.sendText("hi there", true).join();
        assertEquals("hi there", client.next());
        client.socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
        assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3}), client.next());
        client.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Test
    void a_token_in_the_query_or_the_header_is_forwarded_as_is() throws Exception {
        assertEquals(TOKEN, connect("token=" + TOKEN, null).hello().getString("token"));
        assertEquals(bearer(TOKEN), connect(null, bearer(TOKEN)).hello().getString("authorization"));
    }

    @Test
    void an_invalid_token_is_refused_with_401_before_the_upgrade() throws Exception {
        for (String token : new String[] {"garbage", TestTokens.expired("carol"), TestTokens.algNone("carol")}) {
            RawHttp.Response response = RawHttp.exchange(Gateway.uri("/"), String.join("\r\n",
                    "GET /ws/streaming?token=" + token + " HTTP/1.1", "Host: x", "Upgrade: websocket",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"));
            assertEquals(401, response.status());
            assertEquals("application/problem+json", response.headers().get("content-type"));
            assertEquals("UNAUTHORIZED", response.json().getString("code"));
        }
        CompletionException refused = assertThrows(CompletionException.class,
                () -> connect(null, bearer(TestTokens.foreignKey("carol"))));
        assertInstanceOf(WebSocketHandshakeException.class, refused.getCause());
        assertEquals(401, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
    }

    @Test
    void an_upgrade_the_service_refuses_is_answered_with_its_status() throws Exception {
        RawHttp.Response response = RawHttp.exchange(Gateway.uri("/"), String.join("\r\n",
                "GET /ws/streaming?reject HTTP/1.1", "Host: x", "Upgrade: websocket",
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"));
        assertEquals(429, response.status());
        assertTrue(response.headers().containsKey("x-request-id"));
    }

    @Test
    void close_codes_are_forwarded_both_ways() throws Exception {
        Client client = connect(null, null);
        client.hello();
        client.socket.sendText("close:4001:done here", true).join();
        assertEquals("close:4001:done here", client.next());

        Client other = connect(null, null);
        other.hello();
        other.socket.sendClose(4002, "leaving").join();
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> Gateway.fake("events-service", "/fake/ws-closes").getJsonArray("closes").contains(4002));
    }

    /**
     * The client stops reading while the events service floods it: the service must be held back by the socket
     * buffers along the way instead of the gateway reading (and holding) everything; nothing is lost once the
     * client reads again.
     */
    @Test
    void a_client_that_does_not_read_holds_the_service_back() throws Exception {
        Client client = connect(null, null);
        client.hello();
        client.reading = false;
        client.socket.sendText("flood", true).join();
        Thread.sleep(1500);
        long written = Gateway.fake("events-service", "/fake/flood").getLong("written");
        assertTrue(written < FakeServices.FLOOD_CAP / 2, "the service wrote " + written + " bytes to a client that does not read");
        client.reading = true;
        client.socket.request(Long.MAX_VALUE);
        Object report;
        do {
            report = client.next(60);
        } while (!(report instanceof String text && text.startsWith("flooded:")));
        assertEquals("flooded:" + FakeServices.FLOOD_CAP, report);
        assertEquals(FakeServices.FLOOD_CAP, client.binaryBytes.get());
    }
}
