package io.veza.stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.veza.contracts.StreamEvents;
import io.veza.contracts.Topics;
import io.veza.testing.KafkaEvents;
import io.veza.testing.RealInfra;
import io.veza.testing.TestTokens;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ReconnectWindowTest.ShortWindows.class)
@QuarkusTestResource(value = RealInfra.class, initArgs = @ResourceArg(name = "db", value = "streams"))
@QuarkusTestResource(FakeIngestControl.class)
class ReconnectWindowTest {
    public static class ShortWindows implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("veza.reconnect-window", "2s", "veza.start-expiry", "3s");
        }
    }

    @Test
    void an_encoder_that_comes_back_within_the_window_continues_the_same_stream() throws Exception {
        String owner = StreamApiTest.user();
        Map<String, Object> s = StreamApiTest.started(owner, true);
        String id = (String) s.get("stream_id");
        String key = (String) s.get("stream_key");
        StreamApiTest.publish(key).statusCode(302);
        Thread.sleep(1100);
        StreamApiTest.publishDone(id);
        StreamApiTest.publish(key).statusCode(302).header("Location", equalTo(id));
        KafkaEvents.await(Topics.STREAMS, KafkaEvents.event(StreamEvents.PUBLISH_RESUMED, id), Duration.ofSeconds(15));
        Thread.sleep(2500); // longer than the window: but the encoder is connected, so the stream lives on
        given().auth().oauth2(TestTokens.user(owner)).get("/api/v1/streams/" + id).then().body("status", equalTo("live"));
    }

    @Test
    void an_encoder_that_stays_away_ends_the_stream_with_its_real_duration() throws Exception {
        String owner = StreamApiTest.user();
        Map<String, Object> s = StreamApiTest.started(owner, true);
        String id = (String) s.get("stream_id");
        StreamApiTest.publish((String) s.get("stream_key")).statusCode(302);
        Thread.sleep(2100);
        StreamApiTest.publishDone((String) s.get("stream_key")); // the ingest may report the original publish name
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().auth().oauth2(TestTokens.user(owner)).get("/api/v1/streams/" + id).then().body("status", equalTo("stopped")));
        JsonNode stopped = KafkaEvents.await(Topics.STREAMS, KafkaEvents.event(StreamEvents.STOPPED, id), Duration.ofSeconds(15));
        assertEquals(2, stopped.path("data").path("duration").asInt());
        StreamApiTest.publish((String) s.get("stream_key")).statusCode(403);
    }

    @Test
    void a_stream_never_published_expires() {
        String owner = StreamApiTest.user();
        String id = (String) StreamApiTest.started(owner, true).get("stream_id");
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().auth().oauth2(TestTokens.user(owner)).get("/api/v1/streams/" + id).then().body("status", equalTo("stopped")));
    }
}
