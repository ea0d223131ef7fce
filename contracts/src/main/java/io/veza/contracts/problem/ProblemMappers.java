package io.veza.contracts.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.veza.contracts.ApiException;
import io.veza.contracts.ErrorCode;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error a service answers becomes problem JSON here: no stack trace, no 500 for bad input. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final String TOKEN_REQUIRED = "A valid bearer token is required";
    @Inject
    OversizedBodies oversized;

    @ServerExceptionMapper
    public Response api(ApiException e, HttpHeaders headers) {
        return ProblemResponses.of(e.code, e.getMessage(), headers);
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(HttpHeaders headers) {
        return ProblemResponses.of(ErrorCode.UNAUTHORIZED, TOKEN_REQUIRED, headers);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpHeaders headers) {
        return ProblemResponses.of(ErrorCode.ACCESS_DENIED, "Not allowed", headers);
    }

    /** Malformed JSON and wrong types; replaces Quarkus' built-in mapper for the latter. */
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class})
    public Response json(JsonProcessingException e, HttpHeaders headers) {
        String field = e instanceof MismatchedInputException m && !m.getPath().isEmpty()
                ? m.getPath().get(m.getPath().size() - 1).getFieldName() : null;
        return ProblemResponses.of(ErrorCode.INVALID_STREAM_DATA,
                field != null ? "Field '" + field + "' has the wrong type" : "Body is not valid JSON", headers);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpHeaders headers) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json, headers);
        }
        int status = e.getResponse().getStatus();
        ErrorCode code;
        if (e instanceof NotFoundException) {
            code = ErrorCode.NOT_FOUND;
        } else if (e instanceof NotAllowedException) {
            code = ErrorCode.METHOD_NOT_ALLOWED;
        } else if (e instanceof NotSupportedException) {
            code = ErrorCode.UNSUPPORTED_MEDIA_TYPE;
        } else if (status == 413) {
            // the rest of the body is not worth reading: the connection closes after this answer
            return Response.fromResponse(ProblemResponses.of(oversized.code(), oversized.detail(), headers))
                    .header("Connection", "close").build();
        } else if (status >= 400 && status < 500) {
            code = ErrorCode.INVALID_STREAM_DATA;
        } else {
            LOG.error("Request failed", e);
            code = ErrorCode.STREAM_ERROR;
        }
        return ProblemResponses.of(code, code.title, headers);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, HttpHeaders headers) {
        if (e instanceof IOException) {
            // the client went away mid-request: nothing to fix on our side
            LOG.debugf("Request body could not be read: %s", e.getMessage());
            return ProblemResponses.of(ErrorCode.INVALID_STREAM_DATA, "The request body could not be read", headers);
        }
        LOG.error("Unexpected failure", e);
        return ProblemResponses.of(ErrorCode.STREAM_ERROR, "Internal error; see the server log with this request id", headers);
    }
}
