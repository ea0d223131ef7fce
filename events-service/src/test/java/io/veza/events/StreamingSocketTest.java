package io.veza.events;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.veza.contracts.MediaEvents;
import io.veza.contracts.StreamEvents;
import io.veza.contracts.Topics;
import io.veza.testing.RealInfra;
import io.veza.testing.RealKafka;
import io.veza.testing.TestTokens;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RealInfra.class)
class StreamingSocketTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static KafkaProducer<String, String> producer;

    @TestHTTPResource("/ws/streaming")
    URI endpoint;

    @BeforeAll
    static void producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealKafka.bootstrapServers());
        producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    /** A WebSocket client that keeps what it receives. */
    static class Listener implements WebSocket.Listener {
        final List<JsonNode> messages = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        List<JsonNode> of(String event, String streamId) {
            return messages.stream().filter(m -> event.equals(m.path("event").asText())
                    && streamId.equals(m.path("data").path("stream_id").asText())).toList();
        }
    }

    Listener connect(String token) {
        Listener listener = new Listener();
        URI uri = token == null ? ws(endpoint) : URI.create(ws(endpoint) + "?token=" + token);
        HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, listener).join();
        return listener;
    }

    static URI ws(URI http) {
        return URI.create(http.toString().replaceFirst("^http", "ws"));
    }

    static void send(String type, String streamId, String userId, boolean isPublic, String eventId, String extra) {
        String data = "{\"stream_id\":\"" + streamId + "\",\"user_id\":\"" + userId + "\",\"is_public\":" + isPublic + extra + "}";
        String envelope = "{\"specversion\":\"1.0\",\"id\":\"" + eventId + "\",\"type\":\"" + type + "\",\"source\":\"/test\",\"time\":\""
                + Instant.now() + "\",\"subject\":\"" + streamId + "\",\"data\":" + data + "}";
        producer.send(new ProducerRecord<>(Topics.STREAMS, streamId, envelope));
    }

    static void awaitReady() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    @Test
    void public_events_reach_everyone_and_private_ones_only_their_owner() {
        awaitReady();
        Listener anonymous = connect(null);
        Listener owner = connect(TestTokens.user("alice"));
        Listener other = connect(TestTokens.user("bob"));
        String publicStream = "str_pub" + UUID.randomUUID();
        String privateStream = "str_priv" + UUID.randomUUID();

        send(StreamEvents.STARTED, publicStream, "carol", true, UUID.randomUUID().toString(),
                ",\"title\":\"Night set\",\"username\":\"carol\",\"started_at\":\"2026-01-01T10:00:00Z\"");
        send(StreamEvents.STARTED, privateStream, "alice", false, UUID.randomUUID().toString(),
                ",\"title\":\"Rehearsal\",\"started_at\":\"2026-01-01T10:00:00Z\"");
        send(StreamEvents.VIEWERS_UPDATED, publicStream, "carol", true, UUID.randomUUID().toString(),
                ",\"viewers_count\":5,\"updated_at\":\"2026-01-01T10:01:00Z\"");
        send(StreamEvents.STOPPED, publicStream, "carol", true, UUID.randomUUID().toString(),
                ",\"duration\":60,\"viewers_peak\":5,\"stopped_at\":\"2026-01-01T10:02:00Z\",\"started_at\":\"2026-01-01T10:00:00Z\"");
        String neverLive = "str_never" + UUID.randomUUID();
        send(StreamEvents.STOPPED, neverLive, "carol", true, UUID.randomUUID().toString(),
                ",\"duration\":0,\"viewers_peak\":0,\"stopped_at\":\"2026-01-01T10:02:00Z\",\"started_at\":null");
        send(StreamEvents.PUBLISH_INTERRUPTED, publicStream, "carol", true, UUID.randomUUID().toString(), "");
        producer.flush();

        await().atMost(Duration.ofSeconds(15)).until(() -> anonymous.of("stream_stopped", publicStream).size() == 1
                && owner.of("stream_started", privateStream).size() == 1 && other.of("stream_stopped", publicStream).size() == 1);
        JsonNode started = anonymous.of("stream_started", publicStream).get(0).path("data");
        assertEquals("carol", started.path("user_id").asText());
        assertEquals("Night set", started.path("title").asText());
        assertEquals("2026-01-01T10:00:00Z", started.path("started_at").asText());
        assertFalse(started.has("is_public"), "internal routing fields stay internal");
        assertEquals(5, anonymous.of("viewer_count_updated", publicStream).get(0).path("data").path("viewers_count").asInt());
        JsonNode stopped = anonymous.of("stream_stopped", publicStream).get(0).path("data");
        assertEquals(60, stopped.path("duration").asInt());
        assertEquals(5, stopped.path("viewers_peak").asInt());

        assertTrue(anonymous.of("stream_started", privateStream).isEmpty());
        assertTrue(anonymous.of("stream_stopped", neverLive).isEmpty(), "a stream never announced is not announced as stopped");
        assertTrue(other.of("stream_started", privateStream).isEmpty());
        // internal events are not client events
        assertEquals(3, anonymous.messages.stream().filter(m -> m.path("data").path("stream_id").asText().equals(publicStream)).count());
    }

    @Test
    void library_events_reach_the_files_owner_only_even_for_public_files() {
        awaitReady();
        Listener anonymous = connect(null);
        Listener owner = connect(TestTokens.user("dana"));
        Listener other = connect(TestTokens.user("erin"));
        String file = "file_" + UUID.randomUUID();
        String common = "{\"file_id\":\"" + file + "\",\"user_id\":\"dana\",\"is_public\":true,\"filename\":\"a.flac\",\"title\":\"A\"";
        sendMedia(MediaEvents.FILE_UPLOADED, file, common + ",\"status\":\"uploaded\",\"size\":123,\"duration\":7}");
        sendMedia(MediaEvents.FILE_READY, file, common + ",\"status\":\"ready\",\"duration\":7,\"hls_url\":\"http://x/m.m3u8\","
                + "\"renditions\":[64,128,256],\"loudness_lufs\":-14.2}");
        sendMedia(MediaEvents.FILE_FAILED, file, common + ",\"status\":\"failed\",\"reason\":\"no audio\"}");
        sendMedia(MediaEvents.FILE_DELETED, file, common + ",\"status\":\"deleted\"}");
        // a public stream's event after them: once it has arrived, the file events would have arrived too
        String stream = "str_after_files" + UUID.randomUUID();
        send(StreamEvents.VIEWERS_UPDATED, stream, "carol", true, UUID.randomUUID().toString(), ",\"viewers_count\":1");
        producer.flush();

        await().atMost(Duration.ofSeconds(15)).until(() -> owner.messages.stream().filter(m -> file.equals(m.path("data").path("file_id").asText())).count() == 4
                && anonymous.of("viewer_count_updated", stream).size() == 1 && other.of("viewer_count_updated", stream).size() == 1);
        List<String> events = owner.messages.stream().filter(m -> file.equals(m.path("data").path("file_id").asText()))
                .map(m -> m.path("event").asText()).toList();
        assertEquals(List.of("file_uploaded", "file_ready", "file_failed", "file_deleted"), events);
        JsonNode ready = owner.messages.stream().filter(m -> "file_ready".equals(m.path("event").asText())).findFirst().orElseThrow().path("data");
        assertEquals("http://x/m.m3u8", ready.path("hls_url").asText());
        assertEquals(3, ready.path("renditions").size());
        assertTrue(ready.path("ready_at").asText().startsWith("20"), ready.toString());
        assertFalse(ready.has("user_id") || ready.has("is_public"), "routing fields stay internal: " + ready);
        assertTrue(anonymous.messages.stream().noneMatch(m -> m.path("event").asText().startsWith("file_")));
        assertTrue(other.messages.stream().noneMatch(m -> m.path("event").asText().startsWith("file_")));
    }

    static void sendMedia(String type, String fileId, String data) {
        String envelope = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"" + type + "\",\"source\":\"/test\",\"time\":\""
                + Instant.now() + "\",\"subject\":\"" + fileId + "\",\"data\":" + data + "}";
        producer.send(new ProducerRecord<>(Topics.MEDIA, fileId, envelope));
    }

    @Test
    void an_event_delivered_twice_by_kafka_reaches_clients_once() throws Exception {
        awaitReady();
        Listener client = connect(null);
        String stream = "str_dup" + UUID.randomUUID();
        String eventId = UUID.randomUUID().toString();
        send(StreamEvents.VIEWERS_UPDATED, stream, "carol", true, eventId, ",\"viewers_count\":1");
        send(StreamEvents.VIEWERS_UPDATED, stream, "carol", true, eventId, ",\"viewers_count\":1");
        send(StreamEvents.VIEWERS_UPDATED, stream, "carol", true, UUID.randomUUID().toString(), ",\"viewers_count\":2");
        producer.flush();
        await().atMost(Duration.ofSeconds(15)).until(() -> client.of("viewer_count_updated", stream).size() == 2);
        Thread.sleep(300);
        assertEquals(2, client.of("viewer_count_updated", stream).size());
    }

    @Test
    void a_bad_token_is_refused_at_the_upgrade() {
        for (String bad : new String[] {TestTokens.expired("a"), TestTokens.algNone("a"), TestTokens.foreignKey("a"), "garbage"}) {
            CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, () -> connect(bad));
            assertTrue(e.getCause() instanceof WebSocketHandshakeException);
            assertEquals(401, ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
        }
        given().queryParam("token", "garbage").header("Connection", "Upgrade").header("Upgrade", "websocket")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .get("/ws/streaming").then().statusCode(401).body(containsString("UNAUTHORIZED"));
    }

    @Test
    void a_client_that_never_reads_is_disconnected_instead_of_buffered() throws Exception {
        awaitReady();
        try (Socket raw = new Socket()) {
            raw.setReceiveBufferSize(4096);
            raw.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()));
            raw.getOutputStream().write(("GET /ws/streaming HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = raw.getInputStream();
            byte[] head = new byte[12];
            assertEquals(12, in.readNBytes(head, 0, 12));
            assertTrue(new String(head, StandardCharsets.US_ASCII).contains("101"));
            // from now on this client reads nothing while events keep coming
            Listener healthy = connect(null);
            String title = "x".repeat(200);
            String stream = "str_flood" + UUID.randomUUID();
            double before = cut();
            // far more than the kernel's socket buffers and the allowed queue together can hold
            for (int batch = 0; batch < 40 && cut() == before; batch++) {
                for (int i = 0; i < 2000; i++) {
                    send(StreamEvents.VIEWERS_UPDATED, stream, "carol", true, UUID.randomUUID().toString(),
                            ",\"viewers_count\":" + i + ",\"updated_at\":\"" + title + "\"");
                }
                producer.flush();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> cut() > before);
            // the client that reads is still served
            String after = "str_after" + UUID.randomUUID();
            send(StreamEvents.VIEWERS_UPDATED, after, "carol", true, UUID.randomUUID().toString(), ",\"viewers_count\":1");
            producer.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> healthy.of("viewer_count_updated", after).size() == 1);
        }
    }

    static double cut() {
        String metrics = given().get("/q/metrics").asString();
        return metrics.lines().filter(l -> l.startsWith("veza_events_slow_clients_disconnected_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
