package io.veza.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.veza.e2e.Client.Events;
import io.veza.e2e.Client.Reply;
import io.veza.testing.Ffmpeg;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/** A musician's library through every real part: upload, transcoding announced over WebSocket, playback, listing, delete. */
@ExtendWith(SharedPlatform.class)
class LibraryTest {
    static Platform platform;
    static Path media;

    @BeforeAll
    static void files() throws Exception {
        platform = SharedPlatform.get();
        media = Files.createDirectories(platform.state.resolve("e2e-media"));
        Ffmpeg.make("-f", "lavfi", "-i", "testsrc=s=320x320:d=1", "-frames:v", "1", media.resolve("cover.jpg").toString());
        Ffmpeg.make("-f", "lavfi", "-i", "sine=frequency=440:duration=8", "-i", media.resolve("cover.jpg").toString(), "-map", "0:a", "-map", "1:v",
                "-ac", "2", "-c:a", "libmp3lame", "-b:a", "192k", "-c:v", "copy", "-disposition:v", "attached_pic", "-id3v2_version", "3",
                "-metadata", "title=Été indien", "-metadata", "artist=Élodie Ørsted", "-metadata", "album=Saisons",
                media.resolve("ete.mp3").toString());
        Ffmpeg.make("-f", "lavfi", "-i", "sine=frequency=523:duration=6:sample_rate=96000", "-ac", "2", "-c:a", "flac", "-sample_fmt", "s32",
                "-metadata", "title=Hi-res C5", "-metadata", "artist=Carol", media.resolve("c5.flac").toString());
        Ffmpeg.make("-f", "lavfi", "-i", "sine=frequency=330:duration=5:sample_rate=8000", "-ac", "1", media.resolve("phone line.wav").toString());
    }

    @Test
    void uploaded_tracks_are_transcoded_announced_played_listed_and_deleted(TestInfo info) throws Exception {
        try {
            scenario();
        } catch (Throwable t) {
            System.err.println("=== platform logs for " + info.getDisplayName() + "\n" + platform.logs());
            throw t;
        }
    }

    @Test
    void an_interrupted_resumable_upload_resumes_through_the_gateway(TestInfo info) throws Exception {
        try {
            resumable();
        } catch (Throwable t) {
            System.err.println("=== platform logs for " + info.getDisplayName() + "\n" + platform.logs());
            throw t;
        }
    }

    private void resumable() throws Exception {
        String erin = platform.token("erin-" + System.nanoTime());
        Events events = Events.connect(platform.ws + "?token=" + erin);
        byte[] flac = Files.readAllBytes(media.resolve("c5.flac"));
        String name = java.util.Base64.getEncoder().encodeToString("Reprise.flac".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        HttpResponse<String> created = Client.HTTP.send(HttpRequest.newBuilder(URI.create(platform.gateway + "/api/v1/streams/uploads"))
                .header("Authorization", "Bearer " + erin).header("Tus-Resumable", "1.0.0").header("Upload-Length", String.valueOf(flac.length))
                .header("Upload-Metadata", "filename " + name).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        URI upload = URI.create(created.headers().firstValue("Location").orElseThrow());
        assertTrue(upload.toString().startsWith(platform.gateway + "/api/v1/streams/uploads/"), upload.toString());

        // the client sends half of the file, then its connection drops
        try (java.net.Socket socket = new java.net.Socket(upload.getHost(), upload.getPort())) {
            socket.getOutputStream().write(("PATCH " + upload.getRawPath() + " HTTP/1.1\r\nHost: localhost\r\nTus-Resumable: 1.0.0\r\n"
                    + "Authorization: Bearer " + erin + "\r\nUpload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\n"
                    + "Content-Length: " + flac.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().write(flac, 0, flac.length / 2);
            socket.getOutputStream().flush();
            Thread.sleep(1000);
        }
        HttpRequest head = HttpRequest.newBuilder(upload).header("Authorization", "Bearer " + erin).header("Tus-Resumable", "1.0.0")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        await().atMost(Duration.ofSeconds(20)).until(() -> offset(Client.HTTP.send(head, HttpResponse.BodyHandlers.discarding())) > 0);
        long offset = offset(Client.HTTP.send(head, HttpResponse.BodyHandlers.discarding()));
        assertTrue(offset <= flac.length / 2, "kept " + offset);

        HttpResponse<String> rest = Client.HTTP.send(HttpRequest.newBuilder(upload).header("Authorization", "Bearer " + erin)
                .header("Tus-Resumable", "1.0.0").header("Upload-Offset", String.valueOf(offset)).header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(java.util.Arrays.copyOfRange(flac, (int) offset, flac.length))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, rest.statusCode(), rest.body());
        String fileId = rest.headers().firstValue("Veza-File-Id").orElseThrow();
        await().atMost(Duration.ofSeconds(90)).until(() -> events.ofFile("file_ready", fileId).size() == 1);
        JsonNode file = Client.call("GET", platform.gateway + "/api/v1/streams/files/" + fileId, erin, null).body();
        assertEquals("Reprise.flac", file.path("filename").asText());
        assertEquals(flac.length, file.path("size").asLong());
        HttpResponse<byte[]> original = Client.HTTP.send(HttpRequest.newBuilder(URI.create(file.path("url").asText()))
                .header("Authorization", "Bearer " + erin).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals(flac, original.body(), "resumed through the gateway, byte for byte");
        assertEquals(6.0, Ffmpeg.decodedSeconds(file.path("hls_url").asText()), 0.3);
    }

    static long offset(HttpResponse<?> response) {
        return Long.parseLong(response.headers().firstValue("Upload-Offset").orElse("-1"));
    }

    private void scenario() throws Exception {
        String gw = platform.gateway;
        // users of their own: the platform's state may hold files of an earlier run
        String carol = platform.token("carol-" + System.nanoTime());
        String dave = platform.token("dave-" + System.nanoTime());
        Events events = Events.connect(platform.ws + "?token=" + carol);
        Events someoneElse = Events.connect(platform.ws + "?token=" + dave);

        Map<String, Double> seconds = Map.of("ete.mp3", 8.0, "c5.flac", 6.0, "phone line.wav", 5.0);
        List<String> ids = new ArrayList<>();
        for (String name : List.of("ete.mp3", "c5.flac", "phone line.wav")) {
            Reply uploaded = Client.upload(gw + "/api/v1/streams/upload", carol, name, Files.readAllBytes(media.resolve(name)),
                    "category", "music");
            assertEquals(201, uploaded.status(), uploaded.raw().body());
            assertEquals("uploaded", uploaded.body().path("status").asText());
            assertEquals(name, uploaded.body().path("filename").asText());
            assertEquals(Math.round(seconds.get(name)), uploaded.body().path("duration").asLong());
            ids.add(uploaded.body().path("file_id").asText());
        }
        JsonNode mp3 = Client.call("GET", gw + "/api/v1/streams/files/" + ids.get(0), carol, null).body();
        assertEquals("Été indien", mp3.path("title").asText(), "ID3v2.3 tags (UTF-16) read as Unicode");
        assertEquals("Élodie Ørsted", mp3.path("artist").asText());

        // transcoding is announced to the owner over the WebSocket, through the gateway
        for (String id : ids) {
            await().atMost(Duration.ofSeconds(90)).until(() -> events.ofFile("file_ready", id).size() == 1 || !events.ofFile("file_failed", id).isEmpty());
            assertEquals(1, events.ofFile("file_ready", id).size(), "file " + id + " failed: " + events.ofFile("file_failed", id));
            assertEquals(1, events.ofFile("file_uploaded", id).size());
        }
        assertTrue(someoneElse.received.stream().noneMatch(e -> e.path("event").asText().startsWith("file_")), "others hear nothing of carol's files");

        // each file plays through the gateway: every rendition decodes as stereo AAC, as long as the original
        for (int i = 0; i < ids.size(); i++) {
            JsonNode file = Client.call("GET", gw + "/api/v1/streams/files/" + ids.get(i), carol, null).body();
            assertEquals("ready", file.path("status").asText());
            String hls = file.path("hls_url").asText();
            assertTrue(hls.startsWith(gw + "/hls/files/" + ids.get(i) + "/master.m3u8?t="), hls);
            String master = Client.text(hls);
            List<String> variants = master.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
            assertTrue(variants.size() >= 3, master);
            assertEquals(variants.size(), master.lines().filter(l -> l.contains("CODECS=\"mp4a.40.2\"")).count(), master);
            double expected = seconds.get(file.path("filename").asText());
            for (String variant : variants) {
                String url = gw + "/hls/files/" + ids.get(i) + "/" + variant;
                assertEquals(List.of("aac,audio,44100,2"), Ffmpeg.streams(url), url);
                assertEquals(expected, Ffmpeg.decodedSeconds(url), 0.3, url);
            }
        }
        JsonNode covered = Client.call("GET", gw + "/api/v1/streams/files/" + ids.get(0), carol, null).body();
        assertEquals(List.of(64, 128, 192), Client.JSON.convertValue(covered.path("renditions"), List.class), "never above the 192k source");
        HttpResponse<byte[]> artwork = Client.HTTP.send(HttpRequest.newBuilder(URI.create(covered.path("artwork_url").asText()))
                .header("Authorization", "Bearer " + carol).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, artwork.statusCode());
        assertArrayEquals(Files.readAllBytes(media.resolve("cover.jpg")), artwork.body(), "the embedded cover, as it was");
        HttpResponse<byte[]> original = Client.HTTP.send(HttpRequest.newBuilder(URI.create(covered.path("url").asText()))
                .header("Authorization", "Bearer " + carol).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals(Files.readAllBytes(media.resolve("ete.mp3")), original.body());

        // list, page and search
        Reply page = Client.call("GET", gw + "/api/v1/streams/files?limit=2&page=2", carol, null);
        assertEquals(200, page.status(), page.raw().body());
        assertEquals(1, page.body().path("files").size());
        assertEquals(3, page.body().path("pagination").path("total").asInt());
        assertEquals(2, page.body().path("pagination").path("pages").asInt());
        Reply found = Client.call("GET", gw + "/api/v1/streams/files?search=elodie%20orsted", carol, null);
        assertEquals(1, found.body().path("files").size(), found.raw().body());
        assertEquals(ids.get(0), found.body().path("files").get(0).path("file_id").asText());
        assertEquals(0, Client.call("GET", gw + "/api/v1/streams/files", dave, null).body().path("pagination").path("total").asInt());

        // delete: gone from the API and from playback, announced
        String hls = covered.path("hls_url").asText();
        assertEquals(204, Client.call("DELETE", gw + "/api/v1/streams/files/" + ids.get(0), carol, null).status());
        await().atMost(Duration.ofSeconds(20)).until(() -> events.ofFile("file_deleted", ids.get(0)).size() == 1);
        assertEquals(404, Client.call("GET", gw + "/api/v1/streams/files/" + ids.get(0), carol, null).status());
        assertEquals(404, Client.HTTP.send(HttpRequest.newBuilder(URI.create(hls)).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals(2, Client.call("GET", gw + "/api/v1/streams/files", carol, null).body().path("pagination").path("total").asInt());
    }
}
