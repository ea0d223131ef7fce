package io.veza.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.veza.e2e.Client.Events;
import io.veza.e2e.Client.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/** The first thing a Veza user does, through every real part: token, start, push, listen, reconnect, stop, replay. */
@ExtendWith(SharedPlatform.class)
class LiveStreamingTest {
    static Platform platform;

    @BeforeAll
    static void platform() {
        platform = SharedPlatform.get();
    }

    @Test
    void a_live_stream_is_heard_through_hls_from_first_push_to_replay(TestInfo info) throws Exception {
        try {
            scenario();
        } catch (Throwable t) {
            System.err.println("=== platform logs for " + info.getDisplayName() + "\n" + platform.logs());
            throw t;
        }
    }

    private void scenario() throws Exception {
        String gw = platform.gateway;
        String alice = platform.token("alice", "--name", "DJ Alice");
        String bob = platform.token("bob");
        Events anonymous = Events.connect(platform.ws);
        Events owner = Events.connect(platform.ws + "?token=" + alice);

        Reply started = Client.call("POST", gw + "/api/v1/streams/start", alice,
                "{\"title\":\"Friday night\",\"description\":\"warm-up\",\"is_public\":true,\"category\":\"dj_set\",\"tags\":[\"house\"]}");
        assertEquals(201, started.status(), started.raw().body());
        String id = started.body().path("stream_id").asText();
        String rtmpUrl = started.body().path("rtmp_url").asText();
        assertEquals("starting", started.body().path("status").asText());
        assertTrue(rtmpUrl.startsWith("rtmp://localhost:" + Platform.RTMP_PORT + "/live/sk_"), rtmpUrl);
        assertTrue(started.raw().headers().firstValue("X-Request-Id").isPresent());

        // a wrong key is refused by the ingest
        try (Encoder impostor = Encoder.audio("rtmp://localhost:" + Platform.RTMP_PORT + "/live/sk_not_the_key", 30)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> !impostor.alive());
        }

        Encoder encoder = Encoder.audio(rtmpUrl, 120);
        await().atMost(Duration.ofSeconds(20)).until(() -> anonymous.of("stream_started", id).size() == 1);
        JsonNode startedEvent = anonymous.of("stream_started", id).get(0).path("data");
        assertEquals("alice", startedEvent.path("user_id").asText());
        assertEquals("Friday night", startedEvent.path("title").asText());
        assertFalse(startedEvent.path("started_at").asText().isEmpty());

        Reply live = Client.call("GET", gw + "/api/v1/streams/live?category=dj_set&limit=10", bob, null);
        JsonNode listed = find(live.body().path("streams"), id);
        assertNotNull(listed, live.raw().body());
        assertEquals("DJ Alice", listed.path("username").asText());

        Reply joined = Client.call("POST", gw + "/api/v1/streams/" + id + "/join", bob, null);
        assertEquals(200, joined.status(), joined.raw().body());
        String hlsUrl = joined.body().path("hls_url").asText();
        assertTrue(hlsUrl.startsWith(gw + "/hls/live/" + id + "/master.m3u8?vs="), hlsUrl);

        // the player: fetches the master once, then keeps refreshing a variant playlist, like hls.js does
        await().atMost(Duration.ofSeconds(20)).until(() -> Client.HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(hlsUrl)).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        String master = Client.text(hlsUrl);
        assertTrue(master.contains("CODECS=\"mp4a.40.2\""), master);
        List<String> variants = master.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        assertTrue(variants.size() >= 2, master);
        String variantUrl = gw + "/hls/live/" + id + "/" + variants.get(1);
        ScheduledExecutorService player = Executors.newSingleThreadScheduledExecutor();
        player.scheduleAtFixedRate(() -> {
            try {
                Client.text(variantUrl);
            } catch (Exception ignored) {
                // a refresh may fail while the stream restarts
            }
        }, 0, 1, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(20)).until(() -> Client.text(variantUrl).split("#EXTINF").length > 3);
        String probed = ffprobe(gw + "/hls/live/" + id + "/master.m3u8");
        assertTrue(probed.lines().filter(l -> !l.isBlank()).allMatch(l -> l.equals("aac")), "every rendition decodes as AAC: " + probed);
        String segment = Client.text(variantUrl).lines().filter(l -> l.endsWith(".ts")).findFirst().orElseThrow();
        var segmentResponse = Client.HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                gw + "/hls/live/" + id + "/" + variants.get(1).substring(0, variants.get(1).indexOf('/')) + "/" + segment)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, segmentResponse.statusCode());
        assertTrue(segmentResponse.headers().firstValue("Cache-Control").orElse("").contains("immutable"));
        assertEquals(0x47, segmentResponse.body()[0] & 0xff, "an MPEG-TS segment");

        await().atMost(Duration.ofSeconds(30)).until(() -> anonymous.of("viewer_count_updated", id).stream()
                .anyMatch(e -> e.path("data").path("viewers_count").asInt() == 1));
        assertEquals(1, Client.call("GET", gw + "/api/v1/streams/" + id, bob, null).body().path("viewers_count").asInt());

        // the encoder drops and comes back (now with video too) within the reconnect window: same stream
        encoder.drop();
        Thread.sleep(2000);
        encoder = Encoder.audioAndVideo(rtmpUrl, 120);
        int before = Client.text(variantUrl).split("#EXTINF").length;
        await().atMost(Duration.ofSeconds(30)).until(() -> Client.text(variantUrl).contains("#EXT-X-DISCONTINUITY")
                && Client.text(variantUrl).split("#EXTINF").length > before + 1);
        Reply during = Client.call("GET", gw + "/api/v1/streams/" + id, alice, null);
        assertEquals("live", during.body().path("status").asText());
        assertTrue(anonymous.of("stream_started", id).size() == 1, "a reconnect is not a new stream");

        Reply stopped = Client.call("POST", gw + "/api/v1/streams/" + id + "/stop", alice, null);
        assertEquals(200, stopped.status(), stopped.raw().body());
        assertEquals("stopped", stopped.body().path("status").asText());
        assertTrue(stopped.body().path("duration").asInt() >= 5, stopped.raw().body());
        assertEquals(1, stopped.body().path("viewers_peak").asInt());
        Encoder last = encoder;
        await().atMost(Duration.ofSeconds(15)).until(() -> !last.alive()); // the ingest dropped the encoder
        player.shutdownNow();

        await().atMost(Duration.ofSeconds(20)).until(() -> owner.of("stream_stopped", id).size() == 1);
        JsonNode stoppedEvent = anonymous.of("stream_stopped", id).get(0).path("data");
        assertEquals(stopped.body().path("duration").asInt(), stoppedEvent.path("duration").asInt());
        assertEquals(1, stoppedEvent.path("viewers_peak").asInt());
        assertFalse(stoppedEvent.path("stopped_at").asText().isEmpty());

        await().atMost(Duration.ofSeconds(20)).until(() -> Client.text(variantUrl).contains("#EXT-X-ENDLIST"));
        assertTrue(ffprobe(gw + "/hls/live/" + id + "/master.m3u8").contains("aac"), "the replay stays playable");

        // secrets never reach a log: not the stream key, not the tokens, not the internal secret
        String streamKey = started.body().path("stream_key").asText();
        String internalSecret = java.nio.file.Files.readAllLines(platform.state.resolve("env")).stream()
                .filter(l -> l.startsWith("VEZA_INTERNAL_SECRET=")).findFirst().orElseThrow().substring("VEZA_INTERNAL_SECRET=".length());
        try (var logs = java.nio.file.Files.list(platform.state.resolve("logs"))) {
            for (java.nio.file.Path log : logs.toList()) {
                String text = java.nio.file.Files.readString(log, StandardCharsets.ISO_8859_1);
                for (String secret : List.of(streamKey, internalSecret, alice, bob)) {
                    assertFalse(text.contains(secret), log.getFileName() + " contains a secret");
                }
            }
        }
    }

    static JsonNode find(JsonNode streams, String id) {
        for (JsonNode s : streams) {
            if (id.equals(s.path("stream_id").asText())) {
                return s;
            }
        }
        return null;
    }

    static String ffprobe(String url) throws Exception {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", url)
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }
}
