package io.veza.gateway;

import static io.restassured.RestAssured.given;
import static io.veza.gateway.Gateway.bearer;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.veza.testing.RealInfra;
import io.veza.testing.TestTokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Bodies go through as streams, both ways, and broken exchanges are cleaned up on the other side. */
@QuarkusTest
@QuarkusTestResource(value = RealInfra.class, initArgs = @ResourceArg(name = "kafka", value = "false"), restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeServices.class, restrictToAnnotatedClass = true)
class StreamingTest {
    static final String TOKEN = TestTokens.user("bob");
    static final int MB = 1024 * 1024;

    @Test
    void a_10_mb_body_with_a_content_length_arrives_whole() {
        byte[] body = FakeServices.pattern(10 * MB);
        given().header("Authorization", bearer(TOKEN)).contentType("application/octet-stream").body(body)
                .post("/api/v1/streams/upload")
                .then().statusCode(200)
                .body("service", equalTo("media-service"))
                .body("bytes", equalTo(body.length))
                .body("headers.content-length", equalTo(String.valueOf(body.length)))
                .body("sha256", equalTo(HexFormat.of().formatHex(FakeServices.sha256().digest(body))));
    }

    /**
     * 64 MB in chunked encoding; after the first megabyte the client waits until the service has received bytes.
     * A gateway that buffered whole bodies would never pass them on, and this upload would fail.
     */
    @Test
    void a_64_mb_upload_streams_through_while_the_client_is_still_sending() throws Exception {
        String id = UUID.randomUUID().toString();
        MessageDigest sent = FakeServices.sha256();
        InputStream body = new PatternStream(64L * MB, sent, MB, () -> awaitUpstreamBytes(id));
        HttpResponse<String> response = Gateway.CLIENT.send(HttpRequest.newBuilder(Gateway.uri("/api/v1/streams/uploads/" + id))
                .header("Authorization", bearer(TOKEN)).header("X-Upload-Id", id)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonObject received = new JsonObject(response.body());
        assertEquals(64L * MB, received.getLong("bytes"));
        assertEquals("chunked", received.getJsonObject("headers").getString("transfer-encoding"));
        assertEquals(HexFormat.of().formatHex(sent.digest()), received.getString("sha256"));
    }

    private static void awaitUpstreamBytes(String id) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonObject upload = Gateway.fake("media-service", "/fake/uploads/" + id);
            return upload != null && upload.getLong("bytes") > 0;
        });
    }

    @Test
    void a_64_mb_response_streams_back() throws Exception {
        HttpResponse<InputStream> response = Gateway.CLIENT.send(HttpRequest.newBuilder(Gateway.uri("/hls/live/str_1/big.ts")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        long total = 0;
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
            }
        }
        assertEquals(64L * MB, total);
    }

    @Test
    void a_client_that_aborts_an_upload_makes_the_gateway_reset_the_upstream_request() throws Exception {
        String id = UUID.randomUUID().toString();
        try (Socket socket = new Socket("127.0.0.1", Gateway.uri("/").getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/streams/upload HTTP/1.1\r\nHost: x\r\nAuthorization: " + bearer(TOKEN) + "\r\nX-Upload-Id: " + id
                    + "\r\nContent-Length: " + 10 * MB + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(FakeServices.pattern(MB));
            out.flush();
            awaitUpstreamBytes(id);
        }
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> "aborted".equals(Gateway.fake("media-service", "/fake/uploads/" + id).getString("state")));
    }

    /** curl announces large uploads with "Expect: 100-continue" and waits for the go-ahead before sending. */
    @Test
    void an_upload_announced_with_expect_100_continue_gets_the_go_ahead() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", Gateway.uri("/").getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/v1/streams/upload HTTP/1.1\r\nHost: x\r\nAuthorization: " + bearer(TOKEN)
                    + "\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            byte[] interim = in.readNBytes("HTTP/1.1 100 Continue\r\n\r\n".length());
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", new String(interim, StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write("hello".getBytes(StandardCharsets.ISO_8859_1));
            RawHttp.Response response = RawHttp.read(in);
            assertEquals(200, response.status());
            assertEquals("hello", response.json().getString("body"));
            assertEquals(null, response.json().getJsonObject("headers").getString("expect"));
        }
    }

    /** The service refuses after 1 MB and stops reading; its 413 must still reach a client busy sending 16 MB. */
    @Test
    void a_service_refusing_an_upload_midway_is_answered_with_its_own_problem() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", Gateway.uri("/").getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/streams/upload?limit=" + MB + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + bearer(TOKEN)
                    + "\r\nContent-Length: " + 16 * MB + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 16; i++) {
                        out.write(FakeServices.pattern(MB));
                    }
                } catch (IOException closedByTheGateway) {
                    // expected once the answer is out
                }
            });
            RawHttp.Response response = RawHttp.read(socket.getInputStream());
            assertEquals(413, response.status());
            assertEquals("FILE_TOO_LARGE", response.json().getString("code"));
            assertEquals("close", response.headers().get("connection"));
            sending.get();
        }
    }

    /** Ordinary exchanges must not be mistaken for early answers, which would close the connection. */
    @Test
    void consecutive_requests_keep_their_connection_alive() throws Exception {
        for (int i = 0; i < 200; i++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(Gateway.uri("/api/v1/streams/live")).header("Authorization", bearer(TOKEN));
            if (i % 2 == 1) {
                request.POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + i + "}"));
            }
            HttpResponse<String> response = Gateway.CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals(Optional.empty(), response.headers().firstValue("Connection"), "request " + i);
        }
    }

    /** A long deterministic body, hashed as it is read, that can pause once at a given offset. */
    static final class PatternStream extends InputStream {
        private final byte[] pattern = FakeServices.pattern(65536);
        private final long size;
        private final MessageDigest digest;
        private final long pauseAt;
        private final Runnable pause;
        private long position;

        PatternStream(long size, MessageDigest digest, long pauseAt, Runnable pause) {
            this.size = size;
            this.digest = digest;
            this.pauseAt = pauseAt;
            this.pause = pause;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position == pauseAt) {
                pause.run();
            }
            if (position >= size) {
                return -1;
            }
            int start = (int) (position % pattern.length);
            int n = (int) Math.min(Math.min(len, pattern.length - start), Math.min(size - position, position < pauseAt ? pauseAt - position : Long.MAX_VALUE));
            System.arraycopy(pattern, start, b, off, n);
            digest.update(b, off, n);
            position += n;
            return n;
        }
    }
}
