package io.veza.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** RFC 9457 problem details with the seed's error code and the request id. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String code,
        @JsonProperty("request_id") String requestId) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(ErrorCode code, String detail, String requestId) {
        return new Problem("https://veza.dev/problems/" + code.name().toLowerCase().replace('_', '-'),
                code.title, code.status, detail, code.name(), requestId);
    }
}
