package io.veza.media;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.veza.testing.RealInfra;
import io.veza.testing.RealS3;
import io.veza.testing.TestTokens;
import jakarta.inject.Inject;
import io.quarkus.test.common.http.TestHTTPResource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real files made by ffmpeg, real ffprobe, real S3-compatible store and PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(value = RealInfra.class, initArgs = {@ResourceArg(name = "db", value = "media_upload"), @ResourceArg(name = "s3", value = "true")})
class UploadTest {
    static Path dir;

    @Inject
    software.amazon.awssdk.services.s3.S3Client s3;
    @Inject
    AgroalDataSource db;
    @TestHTTPResource("/")
    URI base;

    @BeforeAll
    static void makeFiles() throws Exception {
        dir = Files.createTempDirectory("uploads-");
        ffmpeg("-f", "lavfi", "-i", "color=c=red:s=600x600:d=1", "-frames:v", "1", dir.resolve("cover.png").toString());
        ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=6", "-i", dir.resolve("cover.png").toString(), "-map", "0:a", "-map", "1:v",
                "-c:a", "libmp3lame", "-b:a", "128k", "-c:v", "png", "-disposition:v", "attached_pic", "-id3v2_version", "3",
                "-metadata", "title=Tagged Title", "-metadata", "artist=Tagged Artist", "-metadata", "album=Tagged Album",
                "-metadata", "genre=Ambient", "-metadata", "date=2019", "-metadata", "track=3/12", dir.resolve("song.mp3").toString());
        ffmpeg("-f", "lavfi", "-i", "sine=frequency=220:duration=4:sample_rate=96000", "-ac", "2", "-c:a", "flac", "-sample_fmt", "s32",
                dir.resolve("hires.flac").toString());
        ffmpeg("-f", "lavfi", "-i", "sine=frequency=330:duration=3:sample_rate=8000", "-ac", "1", dir.resolve("mono.wav").toString());
        ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=3", "-c:v", "mpeg4", dir.resolve("video.mp4").toString());
        byte[] mp3 = Files.readAllBytes(dir.resolve("song.mp3"));
        Files.write(dir.resolve("truncated.mp3"), java.util.Arrays.copyOf(mp3, mp3.length / 2));
        byte[] noise = new byte[200_000];
        new Random(7).nextBytes(noise);
        Files.write(dir.resolve("noise.mp3"), noise);
        Files.write(dir.resolve("empty.mp3"), new byte[0]);
        Files.write(dir.resolve("tiny.mp3"), java.util.Arrays.copyOf(mp3, 50));
        Files.writeString(dir.resolve("notes.mp3"), "these are not sounds\n".repeat(200));
        ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-c:a", "libmp3lame", "-id3v2_version", "0", "-write_id3v1", "0",
                dir.resolve("untagged.mp3").toString());
        byte[] big = new byte[5 * 1024 * 1024];
        new Random(1).nextBytes(big);
        Files.write(dir.resolve("big.wav"), big);
    }

    static void ffmpeg(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    }

    static RequestSpecification as(String user) {
        return given().auth().oauth2(TestTokens.user(user));
    }

    static ValidatableResponse upload(String user, String file, String sentName, String... fields) throws IOException {
        RequestSpecification request = as(user).multiPart("file", sentName, Files.readAllBytes(dir.resolve(file)), "audio/mpeg");
        for (int i = 0; i < fields.length; i += 2) {
            request = request.multiPart(new io.restassured.builder.MultiPartSpecBuilder(fields[i + 1]).controlName(fields[i])
                    .charset(StandardCharsets.UTF_8).build());
        }
        return request.post("/api/v1/streams/upload").then();
    }

    static void problem(ValidatableResponse response, int status, String code) {
        response.statusCode(status).contentType(containsString("application/problem+json")).body("code", equalTo(code));
    }

    @Test
    void an_mp3_with_tags_and_cover_art_is_stored_with_its_real_metadata() throws Exception {
        var body = upload("ana", "song.mp3", "song.mp3").statusCode(201)
                .body("file_id", startsWith("file_")).body("status", equalTo("uploaded")).body("filename", equalTo("song.mp3"))
                .body("size", equalTo((int) Files.size(dir.resolve("song.mp3")))).body("duration", equalTo(6))
                .body("codec", equalTo("mp3")).body("sample_rate", equalTo(44100)).body("channels", equalTo(1))
                .body("title", equalTo("Tagged Title")).body("artist", equalTo("Tagged Artist")).body("album", equalTo("Tagged Album"))
                .body("genre", equalTo("Ambient")).body("year", equalTo(2019)).body("track", equalTo(3))
                .body("hls_url", nullValue()).body("url", containsString("/original"))
                .extract();
        String id = body.path("file_id");
        as("ana").get("/api/v1/streams/files/" + id).then().statusCode(200).body("title", equalTo("Tagged Title"));
        byte[] original = as("ana").get("/api/v1/streams/files/" + id + "/original").then().statusCode(200).extract().asByteArray();
        assertArrayEquals(Files.readAllBytes(dir.resolve("song.mp3")), original);
    }

    @Test
    void every_accepted_format_is_recognised_with_its_tags_in_its_own_tagging_scheme() throws Exception {
        // container, codec options, the codec ffprobe must report; tags as each format stores them (MP4 atoms,
        // Vorbis comments in FLAC/Ogg/Opus, RIFF INFO in WAV, ID3 in AIFF)
        String[][] formats = {
            {"aac.m4a", "aac", "-c:a", "aac", "-b:a", "96k"},
            {"alac.m4a", "alac", "-c:a", "alac"},
            {"tone.aiff", "pcm_s16be", "-write_id3v2", "1"},
            {"vorbis.ogg", "vorbis", "-c:a", "libvorbis"},
            {"opus.opus", "opus", "-c:a", "libopus", "-b:a", "64k"},
            {"comments.flac", "flac", "-c:a", "flac"},
            {"info.wav", "pcm_s16le"},
        };
        for (String[] f : formats) {
            List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i", "sine=frequency=440:duration=3:sample_rate=48000", "-ac", "2"));
            args.addAll(List.of(f).subList(2, f.length));
            args.addAll(List.of("-metadata", "title=Chanson d'été ♪", "-metadata", "artist=Ōkami", dir.resolve(f[0]).toString()));
            ffmpeg(args.toArray(String[]::new));
            upload("ana", f[0], f[0]).statusCode(201).body("codec", equalTo(f[1])).body("channels", equalTo(2))
                    .body("duration", equalTo(3)).body("title", equalTo("Chanson d'été ♪")).body("artist", equalTo("Ōkami"));
        }
    }

    @Test
    void form_fields_win_over_tags_and_tags_over_the_file_name() throws Exception {
        upload("ana", "song.mp3", "whatever.mp3", "title", "Form Title", "is_public", "true", "tags", "chill, live")
                .statusCode(201).body("title", equalTo("Form Title")).body("artist", equalTo("Tagged Artist"))
                .body("is_public", equalTo(true)).body("tags[1]", equalTo("live"));
        upload("ana", "mono.wav", "Field Recording.wav").statusCode(201).body("title", equalTo("Field Recording"))
                .body("artist", nullValue()).body("codec", startsWith("pcm_")).body("channels", equalTo(1)).body("sample_rate", equalTo(8000));
    }

    /** A multipart body as browsers send it: UTF-8 file name, honest Content-Length. */
    HttpResponse<String> rawUpload(String user, String file, String sentName) throws Exception {
        return uploadNamed(user, file, "filename=\"" + sentName + "\"");
    }

    /** A one-part multipart upload whose Content-Disposition ends with the given file name parameters, sent as UTF-8. */
    HttpResponse<String> uploadNamed(String user, String file, String nameParameters) throws Exception {
        String boundary = "veza-" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; " + nameParameters
                + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        return postForm(user, boundary, HttpRequest.BodyPublishers.ofByteArray(concat(head, Files.readAllBytes(dir.resolve(file)), tail)));
    }

    /** A multipart body exactly as given, as the user, through the JDK client (RestAssured would fix it up). */
    HttpResponse<String> postForm(String user, String boundary, HttpRequest.BodyPublisher body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "api/v1/streams/upload"))
                .header("Authorization", "Bearer " + TestTokens.user(user)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .timeout(java.time.Duration.ofSeconds(30)).POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Spooled parts of finished requests are gone. */
    static void awaitSpoolEmpty() {
        Path spool = Path.of(System.getProperty("java.io.tmpdir"), "veza-uploads");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            try (var left = Files.list(spool)) {
                return left.findAny().isEmpty();
            } catch (java.nio.file.NoSuchFileException e) {
                return true;
            }
        });
    }

    @Test
    void hi_res_flac_and_names_with_paths_and_emoji_round_trip_safely() throws Exception {
        HttpResponse<String> response = rawUpload("ana", "hires.flac", "../../etc/Ünïcødé 🎵.flac");
        assertEquals(201, response.statusCode(), response.body());
        io.restassured.path.json.JsonPath json = new io.restassured.path.json.JsonPath(response.body());
        assertEquals("Ünïcødé 🎵.flac", json.getString("filename"));
        assertEquals("flac", json.getString("codec"));
        assertEquals(96000, json.getInt("sample_rate"));
        assertEquals(4, json.getInt("duration"));
    }

    /** An ID3v2 tag (version 3 or 4) holding one title frame, written byte by byte as taggers do. */
    static byte[] id3(int version, int encoding, byte[] text) {
        byte[] payload = new byte[text.length + 1];
        payload[0] = (byte) encoding;
        System.arraycopy(text, 0, payload, 1, text.length);
        java.io.ByteArrayOutputStream tag = new java.io.ByteArrayOutputStream();
        tag.writeBytes("TIT2".getBytes(StandardCharsets.US_ASCII));
        tag.writeBytes(version == 4 ? syncsafe(payload.length) : java.nio.ByteBuffer.allocate(4).putInt(payload.length).array());
        tag.writeBytes(new byte[2]);
        tag.writeBytes(payload);
        byte[] frames = tag.toByteArray();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {'I', 'D', '3', (byte) version, 0, 0});
        out.writeBytes(syncsafe(frames.length));
        out.writeBytes(frames);
        return out.toByteArray();
    }

    static byte[] syncsafe(int n) {
        return new byte[] {(byte) ((n >> 21) & 0x7f), (byte) ((n >> 14) & 0x7f), (byte) ((n >> 7) & 0x7f), (byte) (n & 0x7f)};
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void id3_titles_in_every_encoding_taggers_write_come_out_as_unicode_or_not_at_all() throws Exception {
        byte[] audio = Files.readAllBytes(dir.resolve("untagged.mp3"));
        byte[] bom = {(byte) 0xFF, (byte) 0xFE};
        Object[][] cases = {
            {"latin1 v2.3", id3(3, 0, "Café Noël".getBytes(StandardCharsets.ISO_8859_1)), "Café Noël"},
            {"UTF-16 with BOM v2.3", id3(3, 1, concat(bom, "Ñandú 東京".getBytes(StandardCharsets.UTF_16LE))), "Ñandú 東京"},
            {"UTF-16BE without BOM v2.4", id3(4, 2, "Łódź 🎵".getBytes(StandardCharsets.UTF_16BE)), "Łódź 🎵"},
            {"UTF-8 v2.4", id3(4, 3, "Ørsted — 夜".getBytes(StandardCharsets.UTF_8)), "Ørsted — 夜"},
            {"UTF-8 bytes in a latin1 frame", id3(3, 0, "Crème brûlée".getBytes(StandardCharsets.UTF_8)), "Crème brûlée"},
            {"UTF-16 frame missing its BOM", id3(3, 1, "Żółw".getBytes(StandardCharsets.UTF_16LE)), "Żółw"},
        };
        for (Object[] c : cases) {
            Files.write(dir.resolve("tagged.mp3"), concat((byte[]) c[1], audio));
            String title = upload("ana", "tagged.mp3", "fallback name.mp3").statusCode(201).extract().path("title");
            // correct Unicode, or (a tag that cannot be read for sure) the file name: never mojibake
            assertTrue(c[2].equals(title) || "fallback name".equals(title), c[0] + " came out as " + title);
            if (!((String) c[0]).contains("missing")) {
                assertEquals(c[2], title, (String) c[0]);
            }
        }
    }

    @Test
    void a_truncated_file_reports_the_duration_it_really_has() throws Exception {
        int duration = upload("ana", "truncated.mp3", "truncated.mp3").statusCode(201).extract().path("duration_ms");
        assertTrue(duration > 1500 && duration < 4500, "about half of 6 s, got " + duration + " ms");
    }

    @Test
    void what_is_not_audio_is_refused_and_leaves_nothing_behind() throws Exception {
        String before = rows();
        for (String bad : new String[] {"noise.mp3", "empty.mp3", "tiny.mp3", "notes.mp3", "video.mp4"}) {
            problem(upload("ana", bad, bad), 415, "UNSUPPORTED_FORMAT");
        }
        HttpResponse<String> tooLarge = rawUpload("ana", "big.wav", "big.wav"); // over the limit, refused from its Content-Length
        assertEquals(413, tooLarge.statusCode());
        assertTrue(tooLarge.body().contains("\"code\":\"FILE_TOO_LARGE\""), tooLarge.body());
        assertEquals(before, rows());
    }

    @Test
    void a_body_over_the_limit_without_content_length_is_refused_as_it_crosses_it_and_leaves_nothing() throws Exception {
        String before = rows();
        String boundary = "veza-" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.wav\"\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        java.io.InputStream body = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(head),
                Files.newInputStream(dir.resolve("big.wav")));
        HttpResponse<String> response = postForm("ana", boundary, HttpRequest.BodyPublishers.ofInputStream(() -> body));
        // refused as the limit is crossed, in the same words as an honest Content-Length
        assertEquals(413, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("FILE_TOO_LARGE", new io.restassured.path.json.JsonPath(response.body()).getString("code"));
        assertEquals(before, rows());
        awaitSpoolEmpty();
    }

    @Test
    void file_names_keep_their_unicode_and_lose_paths_and_control_characters() throws Exception {
        assertEquals("a b.wav", new io.restassured.path.json.JsonPath(rawUpload("ana", "mono.wav", "..\\..\\a\u0000b.wav".replace("\u0000", " ")).body())
                .getString("filename"));
        HttpResponse<String> nul = rawUpload("ana", "mono.wav", "x/../evil\u0001\u0000name.wav");
        assertEquals(201, nul.statusCode(), nul.body());
        assertEquals("evilname.wav", new io.restassured.path.json.JsonPath(nul.body()).getString("filename"));
        // RFC 5987 / 6266: filename* carries the UTF-8 name percent-encoded and wins over the plain fallback
        HttpResponse<String> encoded = uploadNamed("ana", "mono.wav",
                "filename=\"fallback.wav\"; filename*=UTF-8''%C3%89t%C3%A9%20%E6%9D%B1%E4%BA%AC%20%F0%9F%8E%B5.wav");
        assertEquals(201, encoded.statusCode(), encoded.body());
        String id = new io.restassured.path.json.JsonPath(encoded.body()).getString("file_id");
        assertEquals("Été 東京 🎵.wav", new io.restassured.path.json.JsonPath(encoded.body()).getString("filename"));
        String disposition = as("ana").get("/api/v1/streams/files/" + id + "/original").then().statusCode(200).extract().header("Content-Disposition");
        assertEquals("attachment; filename*=UTF-8''%C3%89t%C3%A9%20%E6%9D%B1%E4%BA%AC%20%F0%9F%8E%B5.wav", disposition);
        // an unknown charset or broken escapes in filename* are the client's mistake, not a server error
        for (String bad : List.of("filename*=x-no-such-charset''a.wav", "filename*=UTF-8''%ZZ.wav", "filename*=UTF-8''%E6%9D.wav")) {
            HttpResponse<String> refused = uploadNamed("ana", "mono.wav", bad);
            assertEquals(400, refused.statusCode(), bad + " -> " + refused.body());
            assertEquals("INVALID_STREAM_DATA", new io.restassured.path.json.JsonPath(refused.body()).getString("code"), bad);
        }
    }

    @Test
    void forms_that_end_inside_a_part_or_carry_bad_fields_are_refused_and_leave_nothing() throws Exception {
        String before = rows();
        String boundary = "veza-" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.wav\"\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        // a complete HTTP body whose form never closes: answered, not left waiting
        HttpResponse<String> cut = postForm("ana", boundary,
                HttpRequest.BodyPublishers.ofByteArray(concat(head, Files.readAllBytes(dir.resolve("mono.wav")))));
        assertEquals(400, cut.statusCode(), cut.body());
        assertEquals("INVALID_STREAM_DATA", new io.restassured.path.json.JsonPath(cut.body()).getString("code"));
        awaitSpoolEmpty();
        // fields over the form's field limit, over the API's length limits, or not valid UTF-8
        problem(upload("ana", "mono.wav", "a.wav", "title", "a".repeat(3000)), 400, "INVALID_STREAM_DATA");
        problem(upload("ana", "mono.wav", "a.wav", "title", "a".repeat(201)), 400, "INVALID_STREAM_DATA");
        problem(upload("ana", "mono.wav", "a.wav", "artist", "a\u0000b"), 400, "INVALID_STREAM_DATA");
        byte[] badTitle = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] file = concat(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t.wav\"\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8), Files.readAllBytes(dir.resolve("mono.wav")), ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> garbled = postForm("ana", boundary,
                HttpRequest.BodyPublishers.ofByteArray(concat(badTitle, new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) 0xC3, '('}, file)));
        assertEquals(400, garbled.statusCode(), garbled.body());
        assertEquals(before, rows());
        // a NUL in an id or a query is a miss or a bad request, not a database error
        problem(as("ana").get("/api/v1/streams/files/file_x%00").then(), 404, "FILE_NOT_FOUND");
        problem(as("ana").urlEncodingEnabled(false).get("/api/v1/streams/files?search=%00").then(), 400, "INVALID_STREAM_DATA");
    }

    @Test
    void a_multipart_without_exactly_one_file_part_is_refused() throws Exception {
        problem(as("ana").multiPart("title", "no file").post("/api/v1/streams/upload").then(), 400, "INVALID_STREAM_DATA");
        byte[] wav = Files.readAllBytes(dir.resolve("mono.wav"));
        problem(as("ana").multiPart("file", "a.wav", wav).multiPart("file", "b.wav", wav).post("/api/v1/streams/upload").then(),
                400, "INVALID_STREAM_DATA");
        problem(given().multiPart("file", "a.wav", wav).post("/api/v1/streams/upload").then(), 401, "UNAUTHORIZED");
    }

    @Test
    void private_files_are_hidden_from_others_and_public_ones_are_not() throws Exception {
        String hidden = upload("ana", "mono.wav", "private.wav").statusCode(201).extract().path("file_id");
        String shared = upload("ana", "mono.wav", "public.wav", "is_public", "true").statusCode(201).extract().path("file_id");
        problem(as("bob").get("/api/v1/streams/files/" + hidden).then(), 404, "FILE_NOT_FOUND");
        problem(as("bob").get("/api/v1/streams/files/" + hidden + "/original").then(), 404, "FILE_NOT_FOUND");
        as("bob").get("/api/v1/streams/files/" + shared).then().statusCode(200).body("size", greaterThan(0));
        problem(as("bob").get("/api/v1/streams/files/file_nope").then(), 404, "FILE_NOT_FOUND");
    }

    @Test
    void listing_pages_filters_and_searches_without_caring_for_case_accents_or_wildcards() throws Exception {
        String lou = "lou" + System.nanoTime();
        upload(lou, "mono.wav", "a.wav", "title", "Élodie's Song", "artist", "Ünder Ground", "category", "ambient").statusCode(201);
        upload(lou, "mono.wav", "b.wav", "title", "100% Pure_Bass", "is_public", "true").statusCode(201);
        upload(lou, "mono.wav", "c.wav", "title", "Plain").statusCode(201);

        as(lou).get("/api/v1/streams/files").then().statusCode(200).body("files.size()", equalTo(3))
                .body("pagination.page", equalTo(1)).body("pagination.limit", equalTo(20)).body("pagination.total", equalTo(3))
                .body("pagination.pages", equalTo(1)).body("files[0].title", equalTo("Plain"));
        as(lou).queryParam("limit", 2).queryParam("page", 2).get("/api/v1/streams/files").then()
                .body("files.size()", equalTo(1)).body("pagination.pages", equalTo(2)).body("files[0].title", equalTo("Élodie's Song"));
        for (String q : new String[] {"elodie", "ÉLODIE", "under ground"}) {
            as(lou).queryParam("search", q).get("/api/v1/streams/files").then().body("files.size()", equalTo(1))
                    .body("files[0].title", equalTo("Élodie's Song"));
        }
        // small typos still find it; the exact match of another file comes first
        for (String q : new String[] {"elodei", "elodie sonq", "undergrund", "Ünder Grond"}) {
            as(lou).queryParam("search", q).get("/api/v1/streams/files").then().body("files.size()", equalTo(1))
                    .body("files[0].title", equalTo("Élodie's Song"));
        }
        as(lou).queryParam("search", "plainn").get("/api/v1/streams/files").then().body("files.title", equalTo(List.of("Plain")));
        as(lou).queryParam("search", "zqxj").get("/api/v1/streams/files").then().body("files.size()", equalTo(0));
        for (String q : new String[] {"%", "_", "0% p"}) {
            as(lou).queryParam("search", q).get("/api/v1/streams/files").then().body("files.size()", equalTo(1))
                    .body("files[0].title", equalTo("100% Pure_Bass"));
        }
        as(lou).queryParam("category", "ambient").get("/api/v1/streams/files").then().body("files.size()", equalTo(1));
        as("someone-else").queryParam("scope", "public").queryParam("search", "pure_bass").get("/api/v1/streams/files").then()
                .body("files.title", org.hamcrest.Matchers.hasItem("100% Pure_Bass"))
                .body("files.title", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("Plain")));
        for (String[] bad : new String[][] {{"limit", "0"}, {"limit", "101"}, {"limit", "x"}, {"page", "0"}, {"page", "-1"}, {"scope", "all"}}) {
            problem(as(lou).queryParam(bad[0], bad[1]).get("/api/v1/streams/files").then(), 400, "INVALID_STREAM_DATA");
        }
    }

    /** Library rows plus stored originals: what a refused upload must not add to. */
    String rows() throws Exception {
        long originals = 0;
        for (var page : s3.listObjectsV2Paginator(b -> b.bucket(RealS3.BUCKET).prefix("originals/"))) {
            originals += page.contents().size();
        }
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery("select count(*) from files")) {
            rs.next();
            return rs.getLong(1) + " files, " + originals + " originals";
        }
    }
}
