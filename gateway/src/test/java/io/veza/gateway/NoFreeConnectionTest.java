package io.veza.gateway;

import static io.restassured.RestAssured.given;
import static io.veza.gateway.Gateway.bearer;
import static io.veza.gateway.Gateway.get;
import static io.veza.gateway.Gateway.problem;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.veza.testing.RealInfra;
import io.veza.testing.TestTokens;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Each service gets a single connection, and nobody may wait for it. */
@QuarkusTest
@TestProfile(NoFreeConnectionTest.OneConnection.class)
@QuarkusTestResource(value = RealInfra.class, initArgs = @ResourceArg(name = "kafka", value = "false"), restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeServices.class, restrictToAnnotatedClass = true)
class NoFreeConnectionTest {
    static final String TOKEN = TestTokens.user("erin");

    public static class OneConnection implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("veza.gateway.pool-size", "1", "veza.gateway.pool-wait-queue", "0");
        }
    }

    @Test
    void a_request_that_finds_no_free_connection_is_a_503_stream_error() {
        String id = UUID.randomUUID().toString();
        CompletableFuture<ValidatableResponse> slow = CompletableFuture.supplyAsync(() -> given()
                .header("Authorization", bearer(TOKEN)).header("X-Upload-Id", id).get("/api/v1/playlists/slow").then());
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Gateway.fake("playlist-service", "/fake/uploads/" + id) != null);
        problem(get(TOKEN, "/api/v1/playlists"), 503, "STREAM_ERROR").body("detail", equalTo("playlist-service is unavailable"));
        problem(slow.join(), 504, "STREAM_ERROR");
        // the connection that timed out was dropped, and the pool serves again
        get(TOKEN, "/api/v1/playlists").statusCode(200);
    }
}
