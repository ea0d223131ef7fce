package io.veza.media;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.veza.contracts.StreamEvents;
import io.veza.contracts.Topics;
import io.veza.contracts.ViewerToken;
import io.veza.testing.RealInfra;
import io.veza.testing.RealKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The live path inside media-service, with real parts: an ffmpeg "encoder" serves a sine tone over RTMP, the
 * transcoder (started by a real Kafka event) pulls it and PUTs HLS to the receiver, segments land in the real
 * S3-compatible store, and the origin serves what ffprobe decodes as AAC.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfra.class, initArgs = {@ResourceArg(name = "db", value = "media_live"), @ResourceArg(name = "s3", value = "true")})
@QuarkusTestResource(LiveHlsTest.Encoders.class)
class LiveHlsTest {
    static final String SECRET = "test-internal-secret";

    @TestHTTPResource("/")
    URI base;

    /** Where encoders serve RTMP in this test, and a recorder standing in for stream-service's viewer endpoint. */
    public static class Encoders implements QuarkusTestResourceLifecycleManager {
        static int rtmpPort;
        static final List<String> VIEWER_REPORTS = new CopyOnWriteArrayList<>();
        private HttpServer streamService;

        @Override
        public Map<String, String> start() {
            int httpPort;
            try (ServerSocket s = new ServerSocket(0); ServerSocket h = new ServerSocket(0)) {
                rtmpPort = s.getLocalPort();
                httpPort = h.getLocalPort();
                streamService = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            streamService.createContext("/internal/streams", exchange -> {
                VIEWER_REPORTS.add(exchange.getRequestURI().getPath() + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            streamService.start();
            return Map.of("veza.media.rtmp-pull-url", "rtmp://127.0.0.1:" + rtmpPort + "/live",
                    "veza.media.stream-service-url", "http://127.0.0.1:" + streamService.getAddress().getPort(),
                    // players drop out quickly here, so that the test sees it
                    "veza.media.viewer-timeout", "4s",
                    // ffmpeg needs the receiver's real port, so this test fixes it
                    "quarkus.http.test-port", String.valueOf(httpPort),
                    "veza.media.self-url", "http://127.0.0.1:" + httpPort);
        }

        @Override
        public void stop() {
            streamService.stop(0);
        }
    }

    /** An encoder: ffmpeg serving a tone over RTMP to the first client that pulls it (the transcoder). */
    static Process encoder(String streamId, int seconds) throws IOException {
        return new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=48000:duration=" + seconds, "-c:a", "aac", "-b:a", "128k", "-f", "flv",
                "-listen", "1", "rtmp://127.0.0.1:" + Encoders.rtmpPort + "/live/" + streamId)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    static void event(String type, String streamId, boolean isPublic) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealKafka.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            String envelope = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"" + type
                    + "\",\"source\":\"/test\",\"subject\":\"" + streamId + "\",\"data\":{\"stream_id\":\"" + streamId
                    + "\",\"user_id\":\"alice\",\"is_public\":" + isPublic + "}}";
            producer.send(new ProducerRecord<>(Topics.STREAMS, streamId, envelope));
        }
    }

    static String ffprobe(String url) throws Exception {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,channels,sample_rate",
                "-of", "compact=p=0:nk=1", url).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    @Test
    void a_live_feed_becomes_adaptive_aac_hls_that_survives_a_reconnect_and_ends_as_a_replay() throws Exception {
        String id = "str_live" + UUID.randomUUID().toString().substring(0, 8);
        Process first = encoder(id, 8);
        event(StreamEvents.STARTED, id, true);
        String hls = base + "hls/live/" + id;

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(hls + "/master.m3u8").then().statusCode(200));
        String master = given().get(hls + "/master.m3u8").then().contentType("application/vnd.apple.mpegurl")
                .header("Cache-Control", "public, max-age=1").extract().asString();
        assertTrue(master.contains("#EXT-X-STREAM-INF:BANDWIDTH=70400,AVERAGE-BANDWIDTH=64000,CODECS=\"mp4a.40.2\"\n64k/index.m3u8"), master);
        assertTrue(master.contains("192k/index.m3u8"), master);

        await().atMost(Duration.ofSeconds(30)).until(() -> segments(given().get(hls + "/128k/index.m3u8").asString()) >= 2);
        String probed = ffprobe(hls + "/master.m3u8");
        List<String> renditions = probed.lines().filter(l -> !l.isBlank()).distinct().toList();
        assertEquals(List.of("aac|48000|2"), renditions, "every rendition is stereo 48 kHz AAC: " + probed);
        String firstSegment = given().get(hls + "/128k/index.m3u8").asString().lines().filter(l -> l.endsWith(".ts")).findFirst().orElseThrow();
        given().get(hls + "/128k/" + firstSegment).then().statusCode(200).contentType("video/mp2t")
                .header("Cache-Control", "public, max-age=31536000, immutable");

        // the encoder drops, then comes back: one playlist, a discontinuity at the join
        first.waitFor(20, TimeUnit.SECONDS);
        event(StreamEvents.PUBLISH_INTERRUPTED, id, true);
        int before = segments(given().get(hls + "/128k/index.m3u8").asString());
        Process second = encoder(id, 6);
        event(StreamEvents.PUBLISH_RESUMED, id, true);
        await().atMost(Duration.ofSeconds(30)).until(() -> segments(given().get(hls + "/128k/index.m3u8").asString()) >= before + 2);
        second.waitFor(20, TimeUnit.SECONDS);
        event(StreamEvents.STOPPED, id, true);

        await().atMost(Duration.ofSeconds(30)).until(() -> given().get(hls + "/128k/index.m3u8").asString().contains("#EXT-X-ENDLIST"));
        String replay = given().get(hls + "/128k/index.m3u8").asString();
        assertEquals(1, count(replay, "#EXT-X-DISCONTINUITY"), replay);
        assertTrue(replay.contains("#EXT-X-MEDIA-SEQUENCE:0"), replay);
        assertEquals(2, replay.lines().filter(l -> l.endsWith(".ts")).map(l -> l.substring(0, l.indexOf('_'))).distinct().count(),
                "segments of both encoder sessions: " + replay);
        double seconds = replay.lines().filter(l -> l.startsWith("#EXTINF:")).mapToDouble(l -> Double.parseDouble(l.substring(8, l.indexOf(',')))).sum();
        assertTrue(seconds >= 8 && seconds < 16, "about 8 + 6 s of audio (a drop may lose the last partial segment), got " + seconds);
        Path local = Files.createTempFile("replay", ".aac");
        Process decode = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-i", hls + "/64k/index.m3u8", "-c", "copy", local.toString())
                .redirectErrorStream(true).start();
        assertTrue(decode.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, decode.exitValue(), new String(decode.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertTrue(Files.size(local) > 10 * 8000 * 0.8, "the 64k replay holds the whole stream");
    }

    @Test
    void joined_players_are_counted_and_private_streams_need_a_viewer_session() throws Exception {
        String id = "str_view" + UUID.randomUUID().toString().substring(0, 8);
        Process encoder = encoder(id, 20);
        event(StreamEvents.STARTED, id, false);
        String hls = base + "hls/live/" + id;
        ViewerToken tokens = new ViewerToken(SECRET);
        String vs = tokens.issue(id, "viewer1", Instant.now().plusSeconds(600));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("vs", vs).get(hls + "/master.m3u8").then().statusCode(200));
        given().get(hls + "/master.m3u8").then().statusCode(404);
        given().queryParam("vs", tokens.issue("str_other", "x", Instant.now().plusSeconds(60))).get(hls + "/master.m3u8").then().statusCode(404);
        given().queryParam("vs", vs.substring(0, vs.length() - 2) + "xx").get(hls + "/master.m3u8").then().statusCode(404);

        String master = given().queryParam("vs", vs).get(hls + "/master.m3u8").asString();
        assertTrue(master.contains("64k/index.m3u8?vs=" + vs), "variant URLs carry the session: " + master);
        given().queryParam("vs", vs).get(hls + "/64k/index.m3u8").then().statusCode(200);
        given().queryParam("vs", tokens.issue(id, "viewer2", Instant.now().plusSeconds(600))).get(hls + "/128k/index.m3u8").then().statusCode(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> Encoders.VIEWER_REPORTS.contains("/internal/streams/" + id + "/viewers {\"viewers_count\":2}"));
        // both players stop refreshing: they drop out once the viewer timeout has passed
        await().atMost(Duration.ofSeconds(20)).until(() -> Encoders.VIEWER_REPORTS.contains("/internal/streams/" + id + "/viewers {\"viewers_count\":0}"));
        encoder.destroy();
        event(StreamEvents.STOPPED, id, false);
    }

    @Test
    void library_transcoding_runs_at_normal_priority_and_yields_once_a_live_stream_is_transcoded() throws Exception {
        // a minute of 8 kHz mono: a few seconds of ffmpeg work
        Path wav = Files.createTempFile("long", ".wav");
        Process make = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=300:duration=60:sample_rate=8000",
                "-ac", "1", wav.toString()).redirectErrorStream(true).start();
        assertTrue(make.waitFor(60, TimeUnit.SECONDS) && make.exitValue() == 0);

        assertEquals(List.of(0), niceValuesWhileTranscoding(upload(wav)), "no live stream: normal priority");

        String id = "str_prio" + UUID.randomUUID().toString().substring(0, 8);
        Process encoder = encoder(id, 30);
        event(StreamEvents.STARTED, id, true);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(base + "hls/live/" + id + "/master.m3u8").then().statusCode(200));
        assertTrue(niceValuesWhileTranscoding(upload(wav)).contains(10), "a live stream is being transcoded: the library job yields");
        encoder.destroy();
        event(StreamEvents.STOPPED, id, true);
    }

    String upload(Path wav) {
        return given().auth().oauth2(io.veza.testing.TestTokens.user("prio")).multiPart("file", wav.toFile(), "audio/wav")
                .post(base + "api/v1/streams/upload").then().statusCode(201).extract().path("file_id");
    }

    /** The distinct nice values library ffmpeg runs had (seen every 200 ms) until the file is ready. */
    List<Integer> niceValuesWhileTranscoding(String fileId) throws Exception {
        java.util.Set<Integer> seen = new java.util.TreeSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Process ps = new ProcessBuilder("ps", "-eo", "ni=,args=").start();
            for (String line : new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                if (line.contains("ebur128")) {  // only the library transcoder measures loudness
                    seen.add(Integer.parseInt(line.strip().split("\\s+", 2)[0]));
                }
            }
            String status = given().auth().oauth2(io.veza.testing.TestTokens.user("prio")).get(base + "api/v1/streams/files/" + fileId)
                    .then().extract().path("status");
            if ("ready".equals(status) || "failed".equals(status)) {
                assertEquals("ready", status);
                return List.copyOf(seen);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the file was not transcoded within a minute");
    }

    @Test
    void bad_hls_paths_and_foreign_writes_are_refused() {
        given().get(base + "hls/live/str_nope/master.m3u8").then().statusCode(404);
        given().get(base + "hls/live/..%2F..%2Fetc/master.m3u8").then().statusCode(404);
        given().body("x").put(base + "internal/live/not-a-run/64k/00001.ts").then().statusCode(404);
        given().body("#EXTM3U").put(base + "internal/live/not-a-run/64k/index.m3u8").then().statusCode(404);
        assertFalse(given().get(base + "hls/live/str_nope/64k/index.m3u8").asString().contains("Exception"));
    }

    static int segments(String playlist) {
        return count(playlist, "#EXTINF:");
    }

    static int count(String text, String needle) {
        return (text.length() - text.replace(needle, "").length()) / needle.length();
    }
}
