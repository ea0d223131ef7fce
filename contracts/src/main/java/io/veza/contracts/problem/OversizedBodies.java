package io.veza.contracts.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import io.veza.contracts.ErrorCode;
import io.veza.contracts.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Quarkus refuses a body over {@code quarkus.http.limits.max-body-size} before JAX-RS sees it, with an empty
 * 413; this turns that refusal into problem JSON like every other error.
 */
@ApplicationScoped
public class OversizedBodies {
    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    MemorySize limit;
    /** What a too large body is, in this service's words (media-service: FILE_TOO_LARGE). */
    @ConfigProperty(name = "veza.too-large-code", defaultValue = "REQUEST_TOO_LARGE")
    ErrorCode tooLarge;

    void install(@Observes Router router) {
        // an honest Content-Length over the limit is answered before anything is read
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null && length.length() < 19 && length.chars().allMatch(Character::isDigit)
                    && Long.parseLong(length) > limit.asLongValue()) {
                refuse(ctx);
                return;
            }
            ctx.next();
        });
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
                refuse(ctx);
            } else {
                ctx.next();
            }
        });
    }

    /** The code a too large body gets in this service. */
    public ErrorCode code() {
        return tooLarge;
    }

    /** What a too large body is told. */
    public String detail() {
        return "The request body is larger than " + limit.asLongValue() + " bytes";
    }

    private void refuse(RoutingContext ctx) {
        try {
            String body = json.writeValueAsString(Problem.of(tooLarge, detail(), ctx.request().getHeader(ProblemResponses.REQUEST_ID)));
            ctx.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE).putHeader("Connection", "close").end(body);
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }
}
