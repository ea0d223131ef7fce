package io.veza.stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.veza.contracts.StreamEvents;
import io.veza.contracts.Topics;
import io.veza.testing.KafkaEvents;
import io.veza.testing.RealInfra;
import io.veza.testing.TestTokens;
import io.quarkus.test.common.ResourceArg;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = RealInfra.class, initArgs = @ResourceArg(name = "db", value = "streams"))
@QuarkusTestResource(FakeIngestControl.class)
class StreamApiTest {
    static final String SECRET = "test-internal-secret";

    static String user() {
        return "u" + UUID.randomUUID().toString().substring(0, 8);
    }

    static ValidatableResponse start(String user, Map<String, Object> body) {
        return given().auth().oauth2(TestTokens.user(user)).contentType(ContentType.JSON).body(body)
                .post("/api/v1/streams/start").then();
    }

    static Map<String, Object> started(String user, boolean isPublic) {
        return start(user, Map.of("title", "Set of " + user, "is_public", isPublic, "category", "music", "tags", java.util.List.of("rock")))
                .statusCode(201).extract().as(Map.class);
    }

    static ValidatableResponse publish(String key) {
        return given().redirects().follow(false).queryParam("secret", SECRET).contentType(ContentType.URLENC)
                .formParam("app", "live").formParam("name", key).formParam("addr", "127.0.0.1").formParam("call", "publish")
                .post("/internal/ingest/publish").then();
    }

    static void publishDone(String name) {
        given().queryParam("secret", SECRET).contentType(ContentType.URLENC).formParam("app", "live").formParam("name", name)
                .post("/internal/ingest/publish_done").then().statusCode(204);
    }

    static void problem(ValidatableResponse response, int status, String code) {
        response.statusCode(status).contentType(containsString("application/problem+json"))
                .body("code", equalTo(code)).body("status", equalTo(status)).body("$", not(hasItem("trace")));
    }

    @Test
    void starting_a_stream_hands_out_a_publish_url_with_the_key_and_an_hls_url() {
        String user = user();
        Map<String, Object> s = started(user, true);
        String id = (String) s.get("stream_id");
        assertTrue(id.startsWith("str_"));
        assertEquals("starting", s.get("status"));
        String key = (String) s.get("stream_key");
        assertEquals(s.get("rtmp_server") + "/" + key, s.get("rtmp_url"));
        assertTrue(((String) s.get("hls_url")).endsWith("/hls/live/" + id + "/master.m3u8"));
    }

    @Test
    void invalid_start_requests_are_rejected_with_invalid_stream_data() {
        String u = user();
        problem(start(u, Map.of()), 400, "INVALID_STREAM_DATA");
        problem(start(u, Map.of("title", "   ")), 400, "INVALID_STREAM_DATA");
        problem(start(u, Map.of("title", "x".repeat(201))), 400, "INVALID_STREAM_DATA");
        problem(start(u, Map.of("title", "ok", "category", "cooking")), 400, "INVALID_STREAM_DATA");
        problem(start(u, Map.of("title", "ok", "tags", java.util.Collections.nCopies(11, "t"))), 400, "INVALID_STREAM_DATA");
        problem(start(u, Map.of("title", "ok", "tags", java.util.List.of("x".repeat(31)))), 400, "INVALID_STREAM_DATA");
        // wrong types are not coerced
        problem(start(u, Map.of("title", 123)), 400, "INVALID_STREAM_DATA");
        problem(start(u, Map.of("title", "ok", "is_public", "yes")), 400, "INVALID_STREAM_DATA");
        problem(start(u, Map.of("title", "ok", "tags", "rock")), 400, "INVALID_STREAM_DATA");
        problem(given().auth().oauth2(TestTokens.user(u)).contentType(ContentType.JSON).body("{\"title\": \"unterminated")
                .post("/api/v1/streams/start").then(), 400, "INVALID_STREAM_DATA");
        problem(given().auth().oauth2(TestTokens.user(u)).contentType(ContentType.JSON).body("[1,2]")
                .post("/api/v1/streams/start").then(), 400, "INVALID_STREAM_DATA");
        problem(given().auth().oauth2(TestTokens.user(u)).contentType(ContentType.JSON)
                .body("{\"title\":\"" + "x".repeat(70_000) + "\"}").post("/api/v1/streams/start").then(), 413, "REQUEST_TOO_LARGE");
        // nothing was half-created: the user can still start one stream
        started(u, true);
    }

    @Test
    void requests_without_a_valid_token_are_unauthorized() {
        problem(given().get("/api/v1/streams/live").then(), 401, "UNAUTHORIZED");
        for (String bad : new String[] {TestTokens.expired("a"), TestTokens.foreignKey("a"), TestTokens.algNone("a"),
                TestTokens.wrongIssuer("a"), "not.a.jwt"}) {
            problem(given().auth().oauth2(bad).get("/api/v1/streams/live").then(), 401, "UNAUTHORIZED");
        }
    }

    @Test
    void a_user_cannot_start_a_second_stream_while_one_is_active() {
        String u = user();
        started(u, true);
        problem(start(u, Map.of("title", "again")), 409, "STREAM_ALREADY_LIVE");
    }

    @Test
    void the_key_is_shown_to_the_owner_only_and_private_streams_are_hidden_from_others() {
        String owner = user();
        String id = (String) started(owner, false).get("stream_id");
        given().auth().oauth2(TestTokens.user(owner)).get("/api/v1/streams/" + id).then().statusCode(200)
                .body("stream_key", startsWith("sk_")).body("status", equalTo("starting")).body("is_public", equalTo(false))
                .body("tags", hasItem("rock")).body("viewers_count", equalTo(0));
        problem(given().auth().oauth2(TestTokens.user(user())).get("/api/v1/streams/" + id).then(), 404, "STREAM_NOT_FOUND");
        problem(given().auth().oauth2(TestTokens.user(owner)).get("/api/v1/streams/str_nope").then(), 404, "STREAM_NOT_FOUND");

        String publicId = (String) started(user(), true).get("stream_id");
        given().auth().oauth2(TestTokens.user(user())).get("/api/v1/streams/" + publicId).then().statusCode(200)
                .body("stream_key", nullValue()).body("rtmp_url", nullValue());
    }

    @Test
    void only_the_owner_or_an_admin_can_stop_and_stopping_twice_is_a_conflict() {
        String owner = user();
        String id = (String) started(owner, true).get("stream_id");
        problem(given().auth().oauth2(TestTokens.user(user())).post("/api/v1/streams/" + id + "/stop").then(), 403, "STREAM_ACCESS_DENIED");
        given().auth().oauth2(TestTokens.admin(user())).post("/api/v1/streams/" + id + "/stop").then().statusCode(200)
                .body("status", equalTo("stopped")).body("duration", equalTo(0)).body("viewers_peak", equalTo(0));
        problem(given().auth().oauth2(TestTokens.user(owner)).post("/api/v1/streams/" + id + "/stop").then(), 409, "STREAM_ALREADY_STOPPED");
        // the owner may start again
        started(owner, true);
    }

    @Test
    void publishing_needs_the_right_key_and_makes_the_stream_live() {
        String owner = user();
        Map<String, Object> s = started(owner, true);
        String id = (String) s.get("stream_id");
        String key = (String) s.get("stream_key");

        given().queryParam("secret", "wrong").contentType(ContentType.URLENC).formParam("name", key)
                .post("/internal/ingest/publish").then().statusCode(401);
        publish("sk_wrong").statusCode(403);
        publish("").statusCode(403);
        publish(id).statusCode(403); // the id is not the key

        publish(key).statusCode(302).header("Location", equalTo(id));
        given().auth().oauth2(TestTokens.user(owner)).get("/api/v1/streams/" + id).then()
                .body("status", equalTo("live")).body("started_at", notNullValue());
        publish(key).statusCode(403); // a second encoder on the same key
        org.junit.jupiter.api.Assertions.assertTrue(given().get("/internal/stats").then().statusCode(200).extract().jsonPath().getInt("live_streams") >= 1);

        JsonNode event = KafkaEvents.await(Topics.STREAMS, KafkaEvents.event(StreamEvents.STARTED, id), Duration.ofSeconds(15));
        assertEquals("1.0", event.path("specversion").asText());
        assertEquals(owner, event.path("data").path("user_id").asText());
        assertEquals("Set of " + owner, event.path("data").path("title").asText());
        assertTrue(event.path("data").path("is_public").asBoolean());

        given().auth().oauth2(TestTokens.user(user())).queryParam("category", "music").queryParam("limit", 100)
                .get("/api/v1/streams/live").then().statusCode(200)
                .body("streams.stream_id", hasItem(id)).body("streams.status", everyItem(nullValue()))
                .body("streams.find { it.stream_id == '" + id + "' }.username", equalTo(owner));

        FakeIngestControl.CALLS.clear();
        given().auth().oauth2(TestTokens.user(owner)).post("/api/v1/streams/" + id + "/stop").then().statusCode(200)
                .body("status", equalTo("stopped"));
        assertTrue(FakeIngestControl.CALLS.stream().anyMatch(c -> c.contains("/drop/publisher") && c.contains("name=" + id)),
                "stop drops the encoder at the ingest: " + FakeIngestControl.CALLS);
        publish(key).statusCode(403); // a stopped stream's key is dead
        KafkaEvents.await(Topics.STREAMS, KafkaEvents.event(StreamEvents.STOPPED, id), Duration.ofSeconds(15));
        given().auth().oauth2(TestTokens.user(user())).queryParam("limit", 100).get("/api/v1/streams/live").then()
                .body("streams.stream_id", not(hasItem(id)));
    }

    @Test
    void private_live_streams_are_not_listed() {
        Map<String, Object> s = started(user(), false);
        publish((String) s.get("stream_key")).statusCode(302);
        given().auth().oauth2(TestTokens.user(user())).queryParam("limit", 100).get("/api/v1/streams/live").then()
                .statusCode(200).body("streams.stream_id", not(hasItem(s.get("stream_id"))));
    }

    @Test
    void bad_live_queries_are_rejected() {
        String token = TestTokens.user(user());
        for (String limit : new String[] {"-1", "0", "101", "100000", "abc"}) {
            problem(given().auth().oauth2(token).queryParam("limit", limit).get("/api/v1/streams/live").then(), 400, "INVALID_STREAM_DATA");
        }
        problem(given().auth().oauth2(token).queryParam("category", "cooking").get("/api/v1/streams/live").then(), 400, "INVALID_STREAM_DATA");
    }

    @Test
    void joining_hands_out_a_viewer_session_for_live_streams_only() {
        String owner = user();
        Map<String, Object> s = started(owner, true);
        String id = (String) s.get("stream_id");
        problem(given().auth().oauth2(TestTokens.user(user())).post("/api/v1/streams/" + id + "/join").then(), 409, "STREAM_NOT_LIVE");
        publish((String) s.get("stream_key")).statusCode(302);
        given().auth().oauth2(TestTokens.user(user())).post("/api/v1/streams/" + id + "/join").then().statusCode(200)
                .body("stream_id", equalTo(id)).body("hls_url", containsString("/hls/live/" + id + "/master.m3u8?vs="))
                .body("chat_room", equalTo("chat_" + id)).body("joined_at", notNullValue());
        problem(given().auth().oauth2(TestTokens.user(user())).post("/api/v1/streams/str_unknown/join").then(), 404, "STREAM_NOT_FOUND");
    }

    @Test
    void viewer_counts_update_the_stream_and_its_peak() {
        String owner = user();
        Map<String, Object> s = started(owner, true);
        String id = (String) s.get("stream_id");
        publish((String) s.get("stream_key")).statusCode(302);
        for (int n : new int[] {3, 7, 2}) {
            given().header("X-Internal-Secret", SECRET).contentType(ContentType.JSON).body(Map.of("viewers_count", n))
                    .put("/internal/streams/" + id + "/viewers").then().statusCode(204);
        }
        given().header("X-Internal-Secret", "nope").contentType(ContentType.JSON).body(Map.of("viewers_count", 50))
                .put("/internal/streams/" + id + "/viewers").then().statusCode(401);
        given().auth().oauth2(TestTokens.user(owner)).get("/api/v1/streams/" + id).then().body("viewers_count", equalTo(2));
        JsonNode event = KafkaEvents.await(Topics.STREAMS,
                e -> KafkaEvents.event(StreamEvents.VIEWERS_UPDATED, id).test(e) && e.path("data").path("viewers_count").asInt() == 7,
                Duration.ofSeconds(15));
        assertEquals(id, event.path("data").path("stream_id").asText());
        given().auth().oauth2(TestTokens.user(owner)).post("/api/v1/streams/" + id + "/stop").then().statusCode(200)
                .body("viewers_peak", equalTo(7));
    }
}
