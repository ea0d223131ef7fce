package io.veza.gateway;

import static io.restassured.RestAssured.given;
import static io.veza.gateway.Gateway.bearer;
import static io.veza.gateway.Gateway.get;
import static io.veza.gateway.Gateway.problem;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.veza.testing.RealInfra;
import io.veza.testing.TestTokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@QuarkusTestResource(value = RealInfra.class, initArgs = @ResourceArg(name = "kafka", value = "false"), restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeServices.class, restrictToAnnotatedClass = true)
class GatewayTest {
    static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    static final String TOKEN = TestTokens.user("alice");

    static void unauthorized(String authorization) {
        var request = given();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        Response response = request.get("/api/v1/streams/live");
        problem(response.then(), 401, "UNAUTHORIZED")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("request_id", equalTo(response.header("X-Request-Id")));
    }

    @Test
    void a_request_without_a_token_is_unauthorized() {
        unauthorized(null);
        unauthorized("Bearer ");
        unauthorized("Basic YWxpY2U6c2VjcmV0");
    }

    @Test
    void tus_discovery_needs_no_token_but_nothing_else_under_uploads_goes_without_one() {
        given().options("/api/v1/streams/uploads").then().statusCode(200).body("service", equalTo("media-service"))
                .body("method", equalTo("OPTIONS")).body("uri", equalTo("/api/v1/streams/uploads"));
        problem(given().post("/api/v1/streams/uploads").then(), 401, "UNAUTHORIZED");
        given().head("/api/v1/streams/uploads/upl_1").then().statusCode(401);
        problem(given().options("/api/v1/streams/files").then(), 401, "UNAUTHORIZED");
    }

    @Test
    void a_malformed_token_is_unauthorized() {
        unauthorized(bearer("not.a.jwt"));
    }

    @Test
    void an_expired_token_is_unauthorized() {
        unauthorized(bearer(TestTokens.expired("alice")));
    }

    @Test
    void a_token_signed_with_a_foreign_key_is_unauthorized() {
        unauthorized(bearer(TestTokens.foreignKey("alice")));
    }

    @Test
    void an_unsigned_alg_none_token_is_unauthorized() {
        unauthorized(bearer(TestTokens.algNone("alice")));
    }

    @Test
    void a_token_from_another_issuer_is_unauthorized() {
        unauthorized(bearer(TestTokens.wrongIssuer("alice")));
    }

    /** The classic confusion: HMAC "signed" with the public key, which anybody has. */
    @Test
    void an_hs256_token_keyed_with_the_public_key_is_unauthorized() throws Exception {
        String valid = TestTokens.user("alice");
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String input = header + valid.substring(valid.indexOf('.'), valid.lastIndexOf('.'));
        unauthorized(bearer(input + "." + hmac(Files.readAllBytes(TestTokens.publicKeyFile()), input)));
    }

    static String hmac(byte[] key, String input) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void a_valid_token_is_proxied_with_method_path_query_body_and_authorization_intact() {
        String body = "{\"title\":\"Mon Stream\",\"is_public\":true}";
        given().urlEncodingEnabled(false).header("Authorization", bearer(TOKEN)).contentType(ContentType.JSON).body(body)
                .post("/api/v1/streams/start?category=music&q=a%20b")
                .then().statusCode(200)
                .body("service", equalTo("stream-service"))
                .body("method", equalTo("POST"))
                .body("uri", equalTo("/api/v1/streams/start?category=music&q=a%20b"))
                .body("body", equalTo(body))
                .body("headers.authorization", equalTo(bearer(TOKEN)))
                .body("headers.content-type", startsWith("application/json"));
    }

    @ParameterizedTest
    @CsvSource({
            "POST, /api/v1/streams/upload, media-service",
            "POST, /api/v1/streams/uploads, media-service",
            "PUT, /api/v1/streams/uploads/up_1/chunks/3, media-service",
            "GET, /api/v1/streams/files, media-service",
            "DELETE, /api/v1/streams/files/file_789, media-service",
            "GET, /api/v1/streams/live, stream-service",
            "POST, /api/v1/streams/str_1/join, stream-service",
            "GET, /api/v1/streams/filesystem, stream-service",
            "GET, /api/v1/playlists, playlist-service",
            "POST, /api/v1/playlists/pl_1/files, playlist-service"})
    void api_paths_go_to_the_service_that_owns_them(String method, String path, String service) {
        given().header("Authorization", bearer(TOKEN)).request(method, path)
                .then().statusCode(200).body("service", equalTo(service)).body("uri", equalTo(path));
    }

    @Test
    void the_request_id_a_client_sends_is_kept_both_ways() {
        given().header("Authorization", bearer(TOKEN)).header("X-Request-Id", "trace-42.abc_DEF")
                .get("/api/v1/streams/live")
                .then().statusCode(200)
                .header("X-Request-Id", "trace-42.abc_DEF")
                .body("headers.x-request-id", equalTo("trace-42.abc_DEF"));
    }

    @Test
    void an_insane_request_id_is_replaced_by_a_fresh_one_sent_both_ways() {
        for (String insane : new String[] {"two words", "x".repeat(129), "<script>", ""}) {
            Response response = given().header("Authorization", bearer(TOKEN)).header("X-Request-Id", insane)
                    .get("/api/v1/streams/live");
            String id = response.header("X-Request-Id");
            response.then().statusCode(200).header("X-Request-Id", matchesPattern(UUID)).body("headers.x-request-id", equalTo(id));
        }
    }

    @Test
    void a_request_without_an_id_gets_one_even_on_errors() {
        given().get("/nope").then().statusCode(404).header("X-Request-Id", matchesPattern(UUID));
        given().get("/health").then().header("X-Request-Id", matchesPattern(UUID));
        given().get("/q/health/ready").then().header("X-Request-Id", matchesPattern(UUID));
    }

    @Test
    void hop_by_hop_headers_stay_at_the_gateway_and_forwarding_headers_are_added() throws Exception {
        RawHttp.Response response = RawHttp.exchange(Gateway.uri("/"), String.join("\r\n",
                "GET /api/v1/streams/live HTTP/1.1",
                "Host: api.veza.example",
                "Authorization: " + bearer(TOKEN),
                "Keep-Alive: timeout=5",
                "Proxy-Authorization: Basic c2VjcmV0",
                "TE: trailers",
                "X-Listed-In-Connection: 1",
                "Connection: X-Listed-In-Connection",
                "X-Forwarded-For: 203.0.113.7",
                "X-Custom: kept"));
        assertEquals(200, response.status());
        var headers = response.json().getJsonObject("headers");
        for (String hop : new String[] {"keep-alive", "proxy-authorization", "te", "x-listed-in-connection"}) {
            assertFalse(headers.containsKey(hop), hop + " was forwarded");
        }
        assertEquals("kept", headers.getString("x-custom"));
        assertEquals("203.0.113.7, 127.0.0.1", headers.getString("x-forwarded-for"));
        assertEquals("http", headers.getString("x-forwarded-proto"));
        assertEquals("api.veza.example", headers.getString("x-forwarded-host"));
        assertNotEquals("api.veza.example", headers.getString("host"));
    }

    @Test
    void a_service_answer_passes_through_untouched_problems_included() {
        get(TOKEN, "/api/v1/streams/missing").statusCode(404)
                .contentType("application/problem+json")
                .header("X-Service-Header", "kept")
                .body("code", equalTo("STREAM_NOT_FOUND")).body("detail", equalTo("No stream str_x"));
    }

    @Test
    void the_gateway_request_id_wins_over_the_one_a_service_echoes() {
        Response response = given().header("Authorization", bearer(TOKEN)).get("/api/v1/playlists");
        assertEquals(response.jsonPath().getString("headers.x-request-id"), response.header("X-Request-Id"));
        assertEquals(1, response.headers().getValues("X-Request-Id").size());
    }

    @Test
    void hls_needs_no_token() {
        given().get("/hls/live/str_1/master.m3u8?vt=signed").then().statusCode(200)
                .body("service", equalTo("media-service")).body("uri", equalTo("/hls/live/str_1/master.m3u8?vt=signed"));
        given().header("Authorization", "Bearer garbage").get("/hls/live/str_1/master.m3u8").then().statusCode(200);
    }

    @Test
    void hls_answers_head_without_a_body() {
        given().head("/hls/live/str_1/master.m3u8").then().statusCode(200).body(emptyOrNullString());
    }

    @Test
    void hls_is_read_only() {
        problem(given().body("x").post("/hls/live/str_1/master.m3u8").then(), 405, "METHOD_NOT_ALLOWED").header("Allow", "GET, HEAD");
        problem(given().delete("/hls/live/str_1/master.m3u8").then(), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void an_unknown_path_is_not_found() {
        problem(given().get("/nope").then(), 404, "NOT_FOUND");
        problem(given().get("/internal/stats").then(), 404, "NOT_FOUND");
        problem(get(TOKEN, "/api/v1/somewhere"), 404, "NOT_FOUND");
        problem(get(TOKEN, "/api/v2/streams/live"), 404, "NOT_FOUND");
    }

    @Test
    void dot_segments_and_encoded_slashes_cannot_reach_internal_endpoints() throws Exception {
        for (String path : new String[] {"/api/v1/streams/../../../internal/stats", "/api/v1/streams/%2e%2e/%2e%2e/%2e%2e/internal/stats",
                "/hls/..%2f..%2finternal/stats", "/api/v1/streams/..%2F..%2F..%2Finternal/stats"}) {
            RawHttp.Response response = RawHttp.exchange(Gateway.uri("/"), "GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + bearer(TOKEN));
            assertEquals(404, response.status(), path);
            assertEquals("NOT_FOUND", response.json().getString("code"), path);
        }
    }

    @Test
    void a_service_that_drops_the_connection_is_a_502_stream_error() {
        problem(get(TOKEN, "/api/v1/streams/reset"), 502, "STREAM_ERROR").body("request_id", not(nullValue()));
    }

    @Test
    void a_service_that_answers_too_late_is_a_504_stream_error() {
        problem(get(TOKEN, "/api/v1/streams/slow"), 504, "STREAM_ERROR").body("detail", equalTo("stream-service did not answer in time"));
    }

    @Test
    void health_aggregates_the_parts_and_the_streaming_figures() {
        given().get("/health").then().statusCode(200).contentType(ContentType.JSON)
                .body("status", equalTo("UP"))
                .body("parts.stream-service", equalTo("UP"))
                .body("parts.media-service", equalTo("UP"))
                .body("parts.playlist-service", equalTo("UP"))
                .body("parts.events-service", equalTo("UP"))
                .body("streaming.live_streams", equalTo(3))
                .body("streaming.transcoders", equalTo(2))
                .body("streaming.segment_delay_ms", equalTo(1800))
                .body("streaming.quality", equalTo("good"));
    }
}
