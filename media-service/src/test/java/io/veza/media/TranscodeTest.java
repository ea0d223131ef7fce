package io.veza.media;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.veza.contracts.MediaEvents;
import io.veza.contracts.Topics;
import io.veza.media.domain.LibraryFile;
import io.veza.media.domain.ObjectStore;
import io.veza.media.domain.TranscodeJobs;
import io.veza.testing.Ffmpeg;
import io.veza.testing.KafkaEvents;
import io.veza.testing.RealInfra;
import io.veza.testing.TestTokens;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The transcoding worker with real parts: files made by ffmpeg, uploaded over HTTP, transcoded by the worker into the
 * real S3-compatible store, played back over HTTP and decoded by ffprobe; jobs and leases in real PostgreSQL; events
 * on the real Kafka broker.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfra.class, initArgs = {@ResourceArg(name = "db", value = "media_transcode"), @ResourceArg(name = "s3", value = "true")})
class TranscodeTest {
    static Path dir;

    @Inject
    AgroalDataSource db;
    @Inject
    ObjectStore store;
    @Inject
    TranscodeJobs jobs;
    @TestHTTPResource("/")
    URI base;

    @BeforeAll
    static void makeFiles() throws Exception {
        dir = Files.createTempDirectory("transcode-");
        // a large cover, as taggers embed them: a 1400x1400 photo-like JPEG of about 2 MB
        Ffmpeg.make("-f", "lavfi", "-i", "color=c=gray:s=1400x1400:d=1,noise=alls=100:allf=t", "-frames:v", "1", "-q:v", "2",
                dir.resolve("cover.jpg").toString());
        Ffmpeg.make("-f", "lavfi", "-i", "sine=frequency=440:duration=7", "-i", dir.resolve("cover.jpg").toString(), "-map", "0:a", "-map", "1:v",
                "-ac", "2", "-c:a", "libmp3lame", "-b:a", "192k", "-c:v", "copy", "-disposition:v", "attached_pic", "-id3v2_version", "4",
                "-metadata", "title=Covered", dir.resolve("covered.mp3").toString());
        Ffmpeg.make("-f", "lavfi", "-i", "sine=frequency=330:duration=5:sample_rate=48000", "-af", "pan=5.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0",
                "-c:a", "flac", "-sample_fmt", "s32", dir.resolve("surround.flac").toString());
        Ffmpeg.make("-f", "lavfi", "-i", "sine=frequency=300:duration=4:sample_rate=8000", "-ac", "1", dir.resolve("mono8k.wav").toString());
        Ffmpeg.make("-f", "lavfi", "-i", "sine=frequency=220:duration=4:sample_rate=96000", "-ac", "2", "-c:a", "pcm_s24le",
                dir.resolve("hires.wav").toString());
        // 3 s of silence then 3 s of tone, at two levels 20 dB apart
        for (String[] level : new String[][] {{"loud", "0"}, {"quiet", "-20"}}) {
            Ffmpeg.make("-f", "lavfi", "-i", "anullsrc=r=44100:cl=stereo:d=3", "-f", "lavfi", "-i", "sine=frequency=1000:duration=3",
                    "-filter_complex", "[1:a]volume=" + level[1] + "dB,aformat=channel_layouts=stereo[t];[0:a][t]concat=n=2:v=0:a=1",
                    "-c:a", "flac", dir.resolve(level[0] + ".flac").toString());
        }
    }

    static RequestSpecification as(String user) {
        return given().auth().oauth2(TestTokens.user(user));
    }

    static String upload(String user, String file, String... fields) throws Exception {
        RequestSpecification request = as(user).multiPart("file", file, Files.readAllBytes(dir.resolve(file)), "application/octet-stream");
        for (int i = 0; i < fields.length; i += 2) {
            request = request.multiPart(fields[i], fields[i + 1]);
        }
        return request.post("/api/v1/streams/upload").then().statusCode(201).extract().path("file_id");
    }

    static JsonPath awaitStatus(String user, String id, String status) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String now = as(user).get("/api/v1/streams/files/" + id).then().extract().path("status");
            assertFalse(!status.equals(now) && ("ready".equals(now) || "failed".equals(now)), id + " ended " + now + ", expected " + status);
            return status.equals(now);
        });
        return as(user).get("/api/v1/streams/files/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** The same URL on this test's server (the service hands out URLs of the gateway). */
    String local(String url) {
        URI u = URI.create(url);
        return base.resolve(u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery())).toString();
    }

    static void problem(ValidatableResponse response, int status, String code) {
        response.statusCode(status).contentType(containsString("application/problem+json")).body("code", equalTo(code));
    }

    @Test
    void every_source_becomes_stereo_aac_renditions_of_the_right_duration() throws Exception {
        String user = "tess" + System.nanoTime();
        String[][] sources = {{"covered.mp3", "7"}, {"surround.flac", "5"}, {"mono8k.wav", "4"}, {"hires.wav", "4"}};
        List<String> ids = new ArrayList<>();
        for (String[] source : sources) {
            ids.add(upload(user, source[0], "is_public", "true"));
        }
        for (int i = 0; i < sources.length; i++) {
            JsonPath file = awaitStatus(user, ids.get(i), "ready");
            List<Integer> renditions = file.getList("renditions", Integer.class);
            assertTrue(renditions.size() >= 3, sources[i][0] + ": " + renditions);
            String master = given().get(local(file.getString("hls_url"))).then().statusCode(200)
                    .contentType(containsString("mpegurl")).extract().asString();
            List<String> variants = master.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
            assertEquals(renditions.size(), variants.size(), master);
            assertEquals(renditions.size(), master.lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF:BANDWIDTH=") && l.contains("CODECS=\"mp4a.40.2\"")).count(), master);
            for (int v = 0; v < variants.size(); v++) {
                String url = local(file.getString("hls_url")).replace("master.m3u8", variants.get(v));
                assertEquals(List.of("aac,audio,44100,2"), Ffmpeg.streams(url), sources[i][0] + " " + variants.get(v));
                double seconds = Ffmpeg.decodedSeconds(url);
                assertEquals(Double.parseDouble(sources[i][1]), seconds, 0.3, sources[i][0] + " " + variants.get(v));
                String inf = master.lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF")).toList().get(v);
                long peak = Long.parseLong(inf.replaceAll(".*[:,]BANDWIDTH=(\\d+).*", "$1"));
                long average = Long.parseLong(inf.replaceAll(".*AVERAGE-BANDWIDTH=(\\d+).*", "$1"));
                long[] measured = measure(url);
                assertEquals(measured[1], average, measured[1] * 0.01, "AVERAGE-BANDWIDTH of " + url);
                assertTrue(peak >= measured[0] && peak >= average, "BANDWIDTH " + peak + " is the peak segment rate " + measured[0]);
            }
        }
        // a 192 kbit/s MP3 is not made into 256 kbit/s; lossless sources get the whole ladder
        assertEquals(List.of(64, 128, 192), as(user).get("/api/v1/streams/files/" + ids.get(0)).then().extract().jsonPath().getList("renditions", Integer.class));
        assertEquals(List.of(64, 128, 256), as(user).get("/api/v1/streams/files/" + ids.get(1)).then().extract().jsonPath().getList("renditions", Integer.class));
    }

    @Test
    void cover_art_becomes_the_artwork_and_never_a_track() throws Exception {
        String user = "cora" + System.nanoTime();
        String id = upload(user, "covered.mp3");
        JsonPath file = awaitStatus(user, id, "ready");
        String master = local(file.getString("hls_url"));
        assertTrue(master.contains("?t="), "a private file's hls_url carries its playback token");
        for (String variant : given().get(master).then().statusCode(200).extract().asString().lines().filter(l -> !l.startsWith("#")).toList()) {
            assertEquals(List.of("aac,audio,44100,2"), Ffmpeg.streams(master.replaceAll("master\\.m3u8.*", variant)));
        }
        byte[] artwork = as(user).get(local(file.getString("artwork_url"))).then().statusCode(200).contentType("image/jpeg").extract().asByteArray();
        assertEquals(Files.size(dir.resolve("cover.jpg")), artwork.length);
        assertNull(awaitStatus(user, upload(user, "hires.wav"), "ready").getString("artwork_url"), "no picture, no artwork");
    }

    @Test
    void loudness_and_waveform_are_measured() throws Exception {
        String user = "lena" + System.nanoTime();
        String loud = upload(user, "loud.flac");
        String quiet = upload(user, "quiet.flac");
        double loudLufs = awaitStatus(user, loud, "ready").getDouble("loudness_lufs");
        double quietLufs = awaitStatus(user, quiet, "ready").getDouble("loudness_lufs");
        assertEquals(20, loudLufs - quietLufs, 1, "levels 20 dB apart: " + loudLufs + " and " + quietLufs);
        List<Float> peaks = as(user).get("/api/v1/streams/files/" + loud + "/waveform").then().statusCode(200).extract().jsonPath()
                .getList("peaks", Float.class);
        assertEquals(200, peaks.size());
        assertTrue(peaks.subList(0, 95).stream().allMatch(p -> p < 0.01), "the silent first half is flat: " + peaks);
        assertTrue(peaks.subList(105, 200).stream().allMatch(p -> p > 0.05), "the tone is not: " + peaks);
        List<Float> quietPeaks = as(user).get("/api/v1/streams/files/" + quiet + "/waveform").then().statusCode(200).extract().jsonPath()
                .getList("peaks", Float.class);
        assertEquals(10, peaks.get(150) / quietPeaks.get(150), 0.5, "20 dB is ten times the amplitude");
    }

    @Test
    void uploads_and_results_are_announced_on_kafka() throws Exception {
        String user = "evan" + System.nanoTime();
        String id = upload(user, "mono8k.wav", "title", "Announced");
        JsonNode uploaded = KafkaEvents.await(Topics.MEDIA, KafkaEvents.event(MediaEvents.FILE_UPLOADED, id), Duration.ofSeconds(30));
        assertEquals(user, uploaded.path("data").path("user_id").asText());
        assertEquals("Announced", uploaded.path("data").path("title").asText());
        JsonNode ready = KafkaEvents.await(Topics.MEDIA, KafkaEvents.event(MediaEvents.FILE_READY, id), Duration.ofSeconds(60));
        assertEquals("ready", ready.path("data").path("status").asText());
        assertEquals(3, ready.path("data").path("renditions").size());
    }

    @Test
    void a_job_left_by_a_dead_worker_is_taken_over_and_its_leftovers_replaced() throws Exception {
        String user = "dora" + System.nanoTime();
        String id = upload(user, "mono8k.wav", "is_public", "true");
        String hls = local(awaitStatus(user, id, "ready").getString("hls_url"));
        // what a worker killed mid-job leaves: a held lease that runs out, the file processing, half-written outputs
        store.put(LibraryFile.hlsPrefix(id) + "999k/seg_0000.ts", new byte[] {1, 2, 3}, "video/mp2t");
        store.put(LibraryFile.hlsPrefix(id) + "master.m3u8", "#EXTM3U\nbroken".getBytes(StandardCharsets.UTF_8), "application/vnd.apple.mpegurl");
        sql("update files set status = 'processing' where id = '" + id + "'");
        sql("insert into transcode_jobs (file_id, attempts, lease_owner, lease_until) values ('" + id + "', 1, 'dead-worker', now() + interval '2 seconds')");

        awaitStatus(user, id, "ready");
        assertTrue(store.get(LibraryFile.hlsPrefix(id) + "999k/seg_0000.ts").isEmpty(), "leftovers of the dead attempt are gone");
        String master = given().get(hls).then().statusCode(200).extract().asString();
        assertTrue(master.contains("CODECS=\"mp4a.40.2\"") && !master.contains("broken"), master);
        assertEquals(0, count("select count(*) from transcode_jobs where file_id = '" + id + "'"));
    }

    @Test
    void a_job_that_keeps_dying_and_a_file_ffmpeg_cannot_read_end_failed_with_a_reason() throws Exception {
        String user = "fay" + System.nanoTime();
        String crashing = upload(user, "mono8k.wav");
        String unreadable = upload(user, "hires.wav");
        awaitStatus(user, crashing, "ready");
        awaitStatus(user, unreadable, "ready");

        sql("update files set status = 'processing' where id = '" + crashing + "'");
        sql("insert into transcode_jobs (file_id, attempts, lease_owner, lease_until) values ('" + crashing + "', 3, 'dead-worker', now())");
        JsonPath failed = awaitStatus(user, crashing, "failed");
        assertTrue(failed.getString("failure_reason").contains("3 times"), failed.getString("failure_reason"));
        assertNull(failed.getString("hls_url"));
        JsonNode event = KafkaEvents.await(Topics.MEDIA, KafkaEvents.event(MediaEvents.FILE_FAILED, crashing), Duration.ofSeconds(30));
        assertEquals(failed.getString("failure_reason"), event.path("data").path("reason").asText());

        store.put(LibraryFile.originalKey(unreadable), "RIFF but not really a wave file".repeat(100).getBytes(StandardCharsets.US_ASCII),
                "application/octet-stream");
        sql("update files set status = 'uploaded' where id = '" + unreadable + "'");
        sql("insert into transcode_jobs (file_id) values ('" + unreadable + "')");
        String reason = awaitStatus(user, unreadable, "failed").getString("failure_reason");
        assertTrue(reason.startsWith("ffmpeg could not transcode the file"), reason);
        // no server paths in reasons (the work directory is named transcode-..., wherever the temp dir is)
        assertFalse(reason.contains("/tmp") || reason.contains("transcode-"), reason);
        assertTrue(reason.contains("the original"), reason);
    }

    @Test
    void no_job_is_claimed_twice_at_once() throws Exception {
        String user = "cleo" + System.nanoTime();
        String id = upload(user, "mono8k.wav");
        awaitStatus(user, id, "ready");
        sql("insert into files (id, user_id, filename, title, is_public, size, duration_ms, format, codec, sample_rate, channels, status, created_at) "
                + "select 'file_claim' || g, user_id, filename, title, false, size, duration_ms, format, codec, sample_rate, channels, 'uploaded', "
                + "created_at from files, generate_series(1, 40) g where id = '" + id + "'");
        sql("insert into transcode_jobs (file_id) select 'file_claim' || g from generate_series(1, 40) g");
        ConcurrentLinkedQueue<String> claimed = new ConcurrentLinkedQueue<>();
        ExecutorService claimers = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            String worker = "claimer-" + t;
            claimers.execute(() -> {
                for (var c = jobs.claim(worker, Duration.ofMinutes(5)); c.isPresent(); c = jobs.claim(worker, Duration.ofMinutes(5))) {
                    claimed.add(c.get().file().id());
                }
            });
        }
        claimers.shutdown();
        assertTrue(claimers.awaitTermination(60, TimeUnit.SECONDS));
        Set<String> distinct = new HashSet<>(claimed);
        assertEquals(distinct.size(), claimed.size(), "a job was claimed twice: " + claimed);
        assertTrue(claimed.size() >= 30, "the claimers got most of the 40 jobs, the service's own worker the rest: " + claimed.size());
        sql("delete from files where id like 'file_claim%'");
    }

    @Test
    void owners_change_and_delete_their_files_others_cannot() throws Exception {
        String ana = "ana" + System.nanoTime();
        String shared = upload(ana, "mono8k.wav", "is_public", "true", "title", "Shared");
        String hidden = upload(ana, "mono8k.wav");
        awaitStatus(ana, shared, "ready");

        problem(as("bob").contentType("application/json").body("{\"title\":\"Mine now\"}").patch("/api/v1/streams/files/" + shared).then(), 403,
                "FILE_ACCESS_DENIED");
        problem(as("bob").delete("/api/v1/streams/files/" + shared).then(), 403, "FILE_ACCESS_DENIED");
        problem(as("bob").contentType("application/json").body("{\"title\":\"Mine now\"}").patch("/api/v1/streams/files/" + hidden).then(), 404,
                "FILE_NOT_FOUND");
        problem(as("bob").delete("/api/v1/streams/files/" + hidden).then(), 404, "FILE_NOT_FOUND");

        as(ana).contentType("application/json").body("{\"title\":\" Renamed \",\"artist\":\"Ana\",\"tags\":[\"calm\",\"calm\",\"night\"],\"is_public\":false}")
                .patch("/api/v1/streams/files/" + shared).then().statusCode(200).body("title", equalTo("Renamed"))
                .body("artist", equalTo("Ana")).body("tags", equalTo(List.of("calm", "night"))).body("is_public", equalTo(false))
                .body("hls_url", containsString("?t="));
        problem(as("bob").get("/api/v1/streams/files/" + shared).then(), 404, "FILE_NOT_FOUND");
        as(ana).queryParam("search", "renamed ana").get("/api/v1/streams/files").then().body("files.size()", equalTo(1));
        String tooLong = "{\"title\":\"" + "x".repeat(201) + "\"}";
        for (String bad : new String[] {"{\"title\":\"\"}", "{\"is_public\":\"yes\"}", "{\"tags\":\"calm\"}", "[1]", "{\"title\":", tooLong}) {
            problem(as(ana).contentType("application/json").body(bad).patch("/api/v1/streams/files/" + shared).then(), 400, "INVALID_STREAM_DATA");
        }

        as(ana).delete("/api/v1/streams/files/" + shared).then().statusCode(204);
        problem(as(ana).get("/api/v1/streams/files/" + shared).then(), 404, "FILE_NOT_FOUND");
        assertTrue(store.get(LibraryFile.originalKey(shared)).isEmpty());
        assertTrue(store.get(LibraryFile.hlsPrefix(shared) + "master.m3u8").isEmpty());
        JsonNode deleted = KafkaEvents.await(Topics.MEDIA, KafkaEvents.event(MediaEvents.FILE_DELETED, shared), Duration.ofSeconds(30));
        assertEquals(ana, deleted.path("data").path("user_id").asText());
        problem(as(ana).delete("/api/v1/streams/files/" + shared).then(), 404, "FILE_NOT_FOUND");
    }

    @Test
    void private_renditions_play_only_with_their_token() throws Exception {
        String user = "pia" + System.nanoTime();
        String first = upload(user, "mono8k.wav");
        String second = upload(user, "mono8k.wav");
        String hls = local(awaitStatus(user, first, "ready").getString("hls_url"));
        String otherToken = URI.create(awaitStatus(user, second, "ready").getString("hls_url")).getRawQuery();
        String bare = hls.substring(0, hls.indexOf('?'));
        problem(given().get(bare).then(), 404, "FILE_NOT_FOUND");
        problem(given().get(bare + "?" + otherToken).then(), 404, "FILE_NOT_FOUND");
        String variantUrl = given().get(hls).then().statusCode(200).extract().asString().lines().filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
        assertTrue(variantUrl.contains("?t="), variantUrl);
        String variant = given().get(bare.replace("master.m3u8", variantUrl)).then().statusCode(200).extract().asString();
        String segment = variant.lines().filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
        assertTrue(segment.contains("?t="), segment);
        String segmentUrl = bare.replace("master.m3u8", variantUrl.substring(0, variantUrl.indexOf('/') + 1) + segment);
        given().get(segmentUrl).then().statusCode(200).contentType("video/mp2t");
        problem(given().get(segmentUrl.substring(0, segmentUrl.indexOf('?'))).then(), 404, "FILE_NOT_FOUND");
        assertNotNull(Ffmpeg.streams(hls));
    }

    /** Peak (over segments of 1 s or more) and average bit rate of a variant playlist, from its segments as served. */
    static long[] measure(String variantUrl) {
        double seconds = 0;
        double bits = 0;
        double peak = 0;
        double duration = 0;
        for (String line : given().get(variantUrl).then().statusCode(200).extract().asString().lines().toList()) {
            if (line.startsWith("#EXTINF:")) {
                duration = Double.parseDouble(line.substring(8, line.indexOf(',')));
            } else if (!line.startsWith("#") && !line.isBlank()) {
                long size = given().get(variantUrl.replaceAll("index\\.m3u8.*", line)).then().statusCode(200).extract().asByteArray().length;
                bits += size * 8.0;
                seconds += duration;
                peak = duration >= 1 ? Math.max(peak, size * 8.0 / duration) : peak;
            }
        }
        return new long[] {(long) Math.floor(peak), Math.round(bits / seconds)};
    }

    private void sql(String statement) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private long count(String query) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); var rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
