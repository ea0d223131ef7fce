package io.veza.contracts.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.veza.contracts.ApiException;
import io.veza.contracts.ErrorCode;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/** Every error a service answers becomes problem JSON here: no stack trace, no 500 for bad input. */
public final class ProblemMappers {
    private ProblemMappers() {
    }

    static Response jsonProblem(JsonProcessingException e, HttpHeaders headers) {
        String detail = e instanceof MismatchedInputException m && !m.getPath().isEmpty()
                && m.getPath().get(m.getPath().size() - 1).getFieldName() != null
                ? "Field '" + m.getPath().get(m.getPath().size() - 1).getFieldName() + "' has the wrong type"
                : "Body is not valid JSON";
        return ProblemResponses.of(ErrorCode.INVALID_STREAM_DATA, detail, headers);
    }

    @Provider
    public static class Api implements ExceptionMapper<ApiException> {
        @Context
        HttpHeaders headers;

        @Override
        public Response toResponse(ApiException e) {
            return ProblemResponses.of(e.code, e.getMessage(), headers);
        }
    }

    @Provider
    public static class Unauthorized implements ExceptionMapper<UnauthorizedException> {
        @Context
        HttpHeaders headers;

        @Override
        public Response toResponse(UnauthorizedException e) {
            return ProblemResponses.of(ErrorCode.UNAUTHORIZED, "A valid bearer token is required", headers);
        }
    }

    @Provider
    public static class AuthenticationFailed implements ExceptionMapper<AuthenticationFailedException> {
        @Context
        HttpHeaders headers;

        @Override
        public Response toResponse(AuthenticationFailedException e) {
            return ProblemResponses.of(ErrorCode.UNAUTHORIZED, "A valid bearer token is required", headers);
        }
    }

    @Provider
    public static class Forbidden implements ExceptionMapper<ForbiddenException> {
        @Context
        HttpHeaders headers;

        @Override
        public Response toResponse(ForbiddenException e) {
            return ProblemResponses.of(ErrorCode.ACCESS_DENIED, "Not allowed", headers);
        }
    }

    /** Malformed JSON and wrong types in a request body. */
    @Provider
    public static class Json implements ExceptionMapper<JsonProcessingException> {
        @Context
        HttpHeaders headers;

        @Override
        public Response toResponse(JsonProcessingException e) {
            return jsonProblem(e, headers);
        }
    }

    /** Wrong types; Quarkus has a built-in mapper for this exact type, which this one replaces. */
    @Provider
    public static class JsonMismatch implements ExceptionMapper<MismatchedInputException> {
        @Context
        HttpHeaders headers;

        @Override
        public Response toResponse(MismatchedInputException e) {
            return jsonProblem(e, headers);
        }
    }

    @Provider
    public static class Web implements ExceptionMapper<WebApplicationException> {
        private static final Logger LOG = Logger.getLogger(Web.class);
        @Context
        HttpHeaders headers;

        @Override
        public Response toResponse(WebApplicationException e) {
            if (e.getCause() instanceof JsonProcessingException json) {
                return jsonProblem(json, headers);
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
                code = ErrorCode.REQUEST_TOO_LARGE;
            } else if (status >= 400 && status < 500) {
                code = ErrorCode.INVALID_STREAM_DATA;
            } else {
                LOG.error("Request failed", e);
                code = ErrorCode.STREAM_ERROR;
            }
            return ProblemResponses.of(code, code.title, headers);
        }
    }

    @Provider
    public static class Unexpected implements ExceptionMapper<Exception> {
        private static final Logger LOG = Logger.getLogger(Unexpected.class);
        @Context
        HttpHeaders headers;

        @Override
        public Response toResponse(Exception e) {
            if (e instanceof java.io.IOException) {
                // the client went away mid-request: nothing to fix on our side
                LOG.debugf("Request body could not be read: %s", e.getMessage());
                return ProblemResponses.of(ErrorCode.INVALID_STREAM_DATA, "The request body could not be read", headers);
            }
            LOG.error("Unexpected failure", e);
            return ProblemResponses.of(ErrorCode.STREAM_ERROR, "Internal error; see the server log with this request id", headers);
        }
    }
}
