package io.veza.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.veza.contracts.ErrorCode;
import io.veza.contracts.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Problem JSON answered by the gateway itself. */
@ApplicationScoped
public class Problems {
    @Inject
    ObjectMapper json;
    @Inject
    UnreadBodies unreadBodies;

    public void send(RoutingContext ctx, ErrorCode code, String detail) {
        send(ctx, code, code.status, detail);
    }

    /** {@code status} differs from the code's own for upstream failures (502, 503, 504 are all STREAM_ERROR). */
    public void send(RoutingContext ctx, ErrorCode code, int status, String detail) {
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        Problem base = Problem.of(code, detail, GatewayRouter.requestId(ctx));
        String body;
        try {
            body = json.writeValueAsString(new Problem(base.type(), base.title(), status, detail, base.code(), base.requestId()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HttpServerRequest request = ctx.request();
        boolean unreadBody = !request.isEnded() && UnreadBodies.hasBody(request);
        if (unreadBody) {
            ctx.response().putHeader("Connection", "close");
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE).end(body);
        if (unreadBody) {
            unreadBodies.closeSoon(request, true);
        }
    }
}
