package io.veza.contracts.problem;

import io.veza.contracts.ErrorCode;
import io.veza.contracts.Problem;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** Builds the problem-JSON response every mapper returns. */
public final class ProblemResponses {
    public static final String REQUEST_ID = "X-Request-Id";

    private ProblemResponses() {
    }

    public static Response of(ErrorCode code, String detail, HttpHeaders headers) {
        String requestId = headers == null ? null : headers.getHeaderString(REQUEST_ID);
        return Response.status(code.status)
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(code, detail, requestId))
                .build();
    }
}
