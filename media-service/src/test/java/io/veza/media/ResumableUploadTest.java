package io.veza.media;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.veza.media.domain.ObjectStore;
import io.veza.media.infra.ResumableUploadCleanup;
import io.veza.testing.Ffmpeg;
import io.veza.testing.RealInfra;
import io.veza.testing.TestTokens;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** tus 1.0 against the real service: chunks in the real S3-compatible store, offsets in PostgreSQL, ffprobe at the end. */
@QuarkusTest
@QuarkusTestResource(value = RealInfra.class, initArgs = {@ResourceArg(name = "db", value = "media_tus"), @ResourceArg(name = "s3", value = "true")})
class ResumableUploadTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static byte[] flac;

    @TestHTTPResource("/api/v1/streams/uploads")
    URI uploads;
    @Inject
    AgroalDataSource db;
    @Inject
    ObjectStore store;
    @Inject
    ResumableUploadCleanup cleanup;

    @BeforeAll
    static void makeFile() throws Exception {
        Path dir = Files.createTempDirectory("tus-");
        Ffmpeg.make("-f", "lavfi", "-i", "sine=frequency=440:duration=5", "-ac", "2", "-c:a", "flac", "-metadata", "artist=Tus Artist",
                dir.resolve("tone.flac").toString());
        flac = Files.readAllBytes(dir.resolve("tone.flac"));
    }

    HttpRequest.Builder tus(URI uri, String user) {
        return HttpRequest.newBuilder(uri).header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + TestTokens.user(user));
    }

    static String meta(String... pairs) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            s.append(s.length() == 0 ? "" : ",").append(pairs[i]).append(' ')
                    .append(Base64.getEncoder().encodeToString(pairs[i + 1].getBytes(StandardCharsets.UTF_8)));
        }
        return s.toString();
    }

    HttpResponse<String> create(String user, long length, String metadata) throws Exception {
        HttpRequest.Builder request = tus(uploads, user).header("Upload-Length", String.valueOf(length)).POST(HttpRequest.BodyPublishers.noBody());
        if (metadata != null) {
            request.header("Upload-Metadata", metadata);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The upload's own URL on this test's server (Location names the gateway). */
    URI created(String user, long length, String metadata) throws Exception {
        HttpResponse<String> response = create(user, length, metadata);
        assertEquals(201, response.statusCode(), response.body());
        String location = response.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith("http://localhost:8080/api/v1/streams/uploads/upl_"), location);
        return URI.create(uploads + location.substring(location.lastIndexOf('/')));
    }

    HttpResponse<String> patch(URI upload, String user, long offset, byte[] chunk, String checksum) throws Exception {
        HttpRequest.Builder request = tus(upload, user).header("Upload-Offset", String.valueOf(offset))
                .header("Content-Type", "application/offset+octet-stream").method("PATCH", HttpRequest.BodyPublishers.ofByteArray(chunk));
        if (checksum != null) {
            request.header("Upload-Checksum", checksum);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> head(URI upload, String user) throws Exception {
        return HTTP.send(tus(upload, user).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    static long offset(HttpResponse<?> response) {
        return Long.parseLong(response.headers().firstValue("Upload-Offset").orElseThrow());
    }

    static String sha1(byte[] data) throws Exception {
        return "sha1 " + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(data));
    }

    static void problem(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), response.headers().toString());
        assertTrue(response.body().contains("\"code\":\"" + code + "\""), response.body());
    }

    @Test
    void a_file_sent_in_checksummed_chunks_becomes_a_library_file() throws Exception {
        HttpResponse<Void> options = HTTP.send(HttpRequest.newBuilder(uploads).method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        assertEquals(204, options.statusCode());
        assertTrue(options.headers().firstValue("Tus-Extension").orElse("").contains("checksum"));
        assertEquals("1.0.0", options.headers().firstValue("Tus-Version").orElse(null));

        URI upload = created("tina", flac.length, meta("filename", "Été 🎵.flac", "title", "Résumé", "is_public", "true", "relativePath", "x"));
        HttpResponse<String> fresh = head(upload, "tina");
        assertEquals(200, fresh.statusCode());
        assertEquals(0, offset(fresh));
        assertEquals(String.valueOf(flac.length), fresh.headers().firstValue("Upload-Length").orElse(null));
        assertEquals("no-store", fresh.headers().firstValue("Cache-Control").orElse(null));
        int[] cuts = {0, flac.length / 3, 2 * flac.length / 3, flac.length};
        HttpResponse<String> last = null;
        for (int i = 0; i < 3; i++) {
            byte[] chunk = Arrays.copyOfRange(flac, cuts[i], cuts[i + 1]);
            last = patch(upload, "tina", cuts[i], chunk, sha1(chunk));
            assertEquals(204, last.statusCode(), last.body());
            assertEquals(cuts[i + 1], offset(last));
        }
        String fileId = last.headers().firstValue("Veza-File-Id").orElseThrow();
        given().auth().oauth2(TestTokens.user("tina")).get("/api/v1/streams/files/" + fileId).then().statusCode(200)
                .body("title", org.hamcrest.Matchers.equalTo("Résumé")).body("artist", org.hamcrest.Matchers.equalTo("Tus Artist"))
                .body("filename", org.hamcrest.Matchers.equalTo("Été 🎵.flac")).body("size", org.hamcrest.Matchers.equalTo(flac.length))
                .body("duration", org.hamcrest.Matchers.equalTo(5)).body("is_public", org.hamcrest.Matchers.equalTo(true));
        byte[] original = given().auth().oauth2(TestTokens.user("tina")).get("/api/v1/streams/files/" + fileId + "/original").then()
                .statusCode(200).extract().asByteArray();
        assertArrayEquals(flac, original);
        HttpResponse<String> done = head(upload, "tina");
        assertEquals(flac.length, offset(done));
        assertEquals(fileId, done.headers().firstValue("Veza-File-Id").orElse(null));
        assertEquals(0, count("select cardinality(chunks) from resumable_uploads where file_id = '" + fileId + "'"), "chunks are let go");
        problem(patch(upload, "tina", flac.length, new byte[] {1}, null), 409, "UPLOAD_OFFSET_MISMATCH");
    }

    @Test
    void an_interrupted_upload_resumes_at_the_servers_offset() throws Exception {
        URI upload = created("rita", flac.length, meta("filename", "resumed.flac"));
        int sent = flac.length / 2;
        try (Socket socket = new Socket(upload.getHost(), upload.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH " + upload.getRawPath() + " HTTP/1.1\r\nHost: localhost\r\nTus-Resumable: 1.0.0\r\nAuthorization: Bearer "
                    + TestTokens.user("rita") + "\r\nUpload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: "
                    + flac.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(flac, 0, sent);
            out.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> count("select count(*) from resumable_uploads where received = 0 and id = '"
                    + idOf(upload) + "'") == 1); // still receiving: nothing stored yet
            Thread.sleep(300);
        } // the connection drops here, half-way
        await().atMost(Duration.ofSeconds(10)).until(() -> offset(head(upload, "rita")) > 0);
        long resumeAt = offset(head(upload, "rita"));
        assertTrue(resumeAt <= sent, "the server kept " + resumeAt + " of the " + sent + " bytes sent");
        HttpResponse<String> rest = patch(upload, "rita", resumeAt, Arrays.copyOfRange(flac, (int) resumeAt, flac.length), null);
        assertEquals(204, rest.statusCode(), rest.body());
        String fileId = rest.headers().firstValue("Veza-File-Id").orElseThrow();
        byte[] original = given().auth().oauth2(TestTokens.user("rita")).get("/api/v1/streams/files/" + fileId + "/original").then()
                .statusCode(200).extract().asByteArray();
        assertArrayEquals(flac, original, "the resumed upload is the file, byte for byte");
    }

    @Test
    void wrong_offsets_checksums_and_headers_are_refused_and_change_nothing() throws Exception {
        URI upload = created("olga", flac.length, null);
        byte[] chunk = Arrays.copyOfRange(flac, 0, 1000);
        problem(patch(upload, "olga", 500, chunk, null), 409, "UPLOAD_OFFSET_MISMATCH");
        problem(patch(upload, "olga", 0, chunk, sha1(new byte[] {1, 2, 3})), 460, "CHECKSUM_MISMATCH");
        problem(patch(upload, "olga", 0, chunk, "crc99 AAAA"), 400, "INVALID_STREAM_DATA");
        problem(patch(upload, "olga", 0, chunk, "sha1"), 400, "INVALID_STREAM_DATA");
        problem(HTTP.send(tus(upload, "olga").header("Upload-Offset", "0").header("Content-Type", "application/octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(chunk)).build(), HttpResponse.BodyHandlers.ofString()), 415,
                "UNSUPPORTED_MEDIA_TYPE");
        problem(HTTP.send(HttpRequest.newBuilder(upload).header("Authorization", "Bearer " + TestTokens.user("olga"))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(chunk)).build(), HttpResponse.BodyHandlers.ofString()), 412,
                "TUS_VERSION_UNSUPPORTED");
        assertEquals(0, offset(head(upload, "olga")));
        HttpResponse<String> good = patch(upload, "olga", 0, chunk, "md5 " + Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(chunk)));
        assertEquals(204, good.statusCode(), good.body());
        assertEquals(1000, offset(good));
    }

    @Test
    void uploads_belong_to_their_owner() throws Exception {
        URI upload = created("ada", flac.length, null);
        assertEquals(404, head(upload, "eve").statusCode());
        problem(patch(upload, "eve", 0, new byte[] {1}, null), 404, "UPLOAD_NOT_FOUND");
        problem(HTTP.send(tus(upload, "eve").DELETE().build(), HttpResponse.BodyHandlers.ofString()), 404, "UPLOAD_NOT_FOUND");
        problem(HTTP.send(HttpRequest.newBuilder(upload).header("Tus-Resumable", "1.0.0").DELETE().build(), HttpResponse.BodyHandlers.ofString()),
                401, "UNAUTHORIZED");
        assertEquals(200, head(upload, "ada").statusCode());
        assertEquals(0, offset(head(upload, "ada")));
    }

    @Test
    void sizes_metadata_and_content_are_checked_and_what_is_refused_leaves_nothing() throws Exception {
        problem(create("max", 5L * 1024 * 1024, null), 413, "FILE_TOO_LARGE");
        problem(create("max", 0, null), 415, "UNSUPPORTED_FORMAT");
        problem(HTTP.send(tus(uploads, "max").POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()), 400,
                "INVALID_STREAM_DATA");
        problem(HTTP.send(tus(uploads, "max").header("Upload-Defer-Length", "1").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()), 400, "INVALID_STREAM_DATA");
        problem(create("max", 10, "title !!notbase64!!"), 400, "INVALID_STREAM_DATA");
        // base64 of a cut UTF-8 sequence (0xE6 0x9D): refused, not stored with a replacement character
        problem(create("max", 10, "title " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xE6, (byte) 0x9D})), 400, "INVALID_STREAM_DATA");
        problem(create("max", 10, meta("is_public", "maybe")), 400, "INVALID_STREAM_DATA");

        URI small = created("max", 100, null);
        problem(patch(small, "max", 0, new byte[101], null), 413, "FILE_TOO_LARGE");
        assertEquals(0, offset(head(small, "max")));

        long filesBefore = count("select count(*) from files");
        byte[] noise = new byte[50_000];
        new Random(3).nextBytes(noise);
        URI bogus = created("max", noise.length, meta("filename", "noise.mp3"));
        problem(patch(bogus, "max", 0, noise, null), 415, "UNSUPPORTED_FORMAT");
        assertEquals(404, head(bogus, "max").statusCode(), "a refused upload is gone");
        assertEquals(filesBefore, count("select count(*) from files"));
        assertEquals(0, count("select count(*) from resumable_uploads where id = '" + idOf(bogus) + "'"));
    }

    @Test
    void terminated_and_abandoned_uploads_are_removed_with_their_chunks() throws Exception {
        URI terminated = created("tom", flac.length, null);
        assertEquals(204, patch(terminated, "tom", 0, Arrays.copyOf(flac, 1000), null).statusCode());
        String terminatedChunk = chunk(idOf(terminated));
        assertEquals(204, HTTP.send(tus(terminated, "tom").DELETE().build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals(404, head(terminated, "tom").statusCode());
        assertTrue(store.get(terminatedChunk).isEmpty());

        URI abandoned = created("tom", flac.length, null);
        assertEquals(204, patch(abandoned, "tom", 0, Arrays.copyOf(flac, 1000), null).statusCode());
        String abandonedChunk = chunk(idOf(abandoned));
        assertFalse(store.get(abandonedChunk).isEmpty());
        sql("update resumable_uploads set expires_at = now() - interval '1 second' where id = '" + idOf(abandoned) + "'");
        assertEquals(404, head(abandoned, "tom").statusCode(), "expired uploads are gone for their client at once");
        cleanup.removeAbandoned();
        assertEquals(0, count("select count(*) from resumable_uploads where id = '" + idOf(abandoned) + "'"));
        assertTrue(store.get(abandonedChunk).isEmpty());
    }

    static String idOf(URI upload) {
        String path = upload.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private String chunk(String id) throws Exception {
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery("select chunks[1] from resumable_uploads where id = '" + id + "'")) {
            rs.next();
            String key = rs.getString(1);
            assertNotNull(key);
            return key;
        }
    }

    private void sql(String statement) throws Exception {
        try (Connection c = db.getConnection()) {
            c.createStatement().execute(statement);
        }
    }

    private long count(String query) throws Exception {
        try (Connection c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(query)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
