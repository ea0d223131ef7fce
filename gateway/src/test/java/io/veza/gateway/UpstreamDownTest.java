package io.veza.gateway;

import static io.restassured.RestAssured.given;
import static io.veza.gateway.Gateway.get;
import static io.veza.gateway.Gateway.problem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.veza.testing.RealInfra;
import io.veza.testing.TestTokens;
import org.junit.jupiter.api.Test;

/** stream-service and events-service are not running. */
@QuarkusTest
@QuarkusTestResource(value = RealInfra.class, initArgs = @ResourceArg(name = "kafka", value = "false"), restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeServices.class, initArgs = @ResourceArg(name = "down", value = "stream-service,events-service"), restrictToAnnotatedClass = true)
class UpstreamDownTest {
    static final String TOKEN = TestTokens.user("dave");

    @Test
    void a_call_to_a_service_that_is_down_is_a_502_stream_error() {
        problem(get(TOKEN, "/api/v1/streams/live"), 502, "STREAM_ERROR").body("detail", equalTo("stream-service failed to answer"));
    }

    @Test
    void health_reports_a_part_down_as_degraded_and_its_figures_as_null() {
        given().get("/health").then().statusCode(200)
                .body("status", equalTo("DEGRADED"))
                .body("parts.stream-service", equalTo("DOWN"))
                .body("parts.media-service", equalTo("UP"))
                .body("parts.events-service", equalTo("DOWN"))
                .body("streaming.live_streams", nullValue())
                .body("streaming.quality", equalTo("good"));
    }

    @Test
    void a_websocket_to_an_unreachable_events_service_gets_a_problem_instead_of_an_upgrade() throws Exception {
        RawHttp.Response response = RawHttp.exchange(Gateway.uri("/"), String.join("\r\n",
                "GET /ws/streaming HTTP/1.1", "Host: x", "Upgrade: websocket",
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"));
        assertEquals(502, response.status());
        assertEquals("STREAM_ERROR", response.json().getString("code"));
    }
}
