package io.veza.media.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.veza.contracts.ErrorCode;
import io.veza.contracts.Problem;
import io.veza.contracts.problem.ProblemResponses;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Multipart uploads are parsed by Vert.x (Netty's decoder, file parts streamed to disk in network-sized writes) and
 * handed to JAX-RS already parsed: JAX-RS' own blocking parser reads 1 KB at a time with a file write each, which
 * made receiving a 1 GB upload take twice as long as storing it. The limit is the same; crossing it fails with 413,
 * which {@code OversizedBodies} answers; a form Netty cannot decode is a 400, answered here.
 */
@ApplicationScoped
public class UploadBodies {
    @ConfigProperty(name = "quarkus.http.body.uploads-directory")
    String directory;
    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize limit;
    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        BodyHandler parser = BodyHandler.create(directory).setBodyLimit(limit.asLongValue()).setDeleteUploadedFilesOnEnd(true)
                .setMergeFormAttributes(false);
        // after the size and request-id handlers (Integer.MIN_VALUE), before JAX-RS
        router.post(FileResource.UPLOAD_PATH).order(-50).handler(ctx -> {
            String type = ctx.request().getHeader("Content-Type");
            if (type != null && type.regionMatches(true, 0, "multipart/form-data", 0, 19)) {
                parser.handle(ctx);
            } else {
                ctx.next();  // anything else is refused by JAX-RS (415) without being read
            }
        }).failureHandler(ctx -> {
            if (ctx.statusCode() != 400 || ctx.response().headWritten()) {
                ctx.next();
                return;
            }
            try {
                ctx.response().setStatusCode(400).putHeader("Content-Type", Problem.MEDIA_TYPE).putHeader("Connection", "close")
                        .end(Buffer.buffer(json.writeValueAsBytes(Problem.of(ErrorCode.INVALID_STREAM_DATA,
                                "The multipart form could not be decoded (boundaries, headers, charset or %-escapes)",
                                ctx.request().getHeader(ProblemResponses.REQUEST_ID)))));
            } catch (JsonProcessingException e) {
                ctx.fail(e);
            }
        });
    }
}
