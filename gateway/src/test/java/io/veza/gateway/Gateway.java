package io.veza.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;

import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.microprofile.config.ConfigProvider;

/** What the gateway tests share: addresses, a plain HTTP client and the problem JSON shape. */
final class Gateway {
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Gateway() {
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + RestAssured.port + path);
    }

    /** The fake behind the gateway, asked directly what it saw. */
    static JsonObject fake(String service, String path) throws IOException, InterruptedException {
        String base = ConfigProvider.getConfig().getValue("veza.gateway." + service, String.class);
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? new JsonObject(response.body()) : null;
    }

    static ValidatableResponse problem(ValidatableResponse response, int status, String code) {
        return response.statusCode(status).contentType(containsString("application/problem+json"))
                .body("status", equalTo(status)).body("code", equalTo(code)).body("$", not(hasKey("trace")));
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    static ValidatableResponse get(String token, String path) {
        return given().header("Authorization", bearer(token)).get(path).then();
    }
}
