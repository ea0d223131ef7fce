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
 * which {@code OversizedBodies} answers; a form Netty cannot decode, or one the body ends in the middle of, is a 400,
 * answered here.
 */
@ApplicationScoped
public class UploadBodies {
    @ConfigProperty(name = "quarkus.http.body.uploads-directory")
    String directory;
    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize limit;
    @Inject
    ObjectMapper json;
    @ConfigProperty(name = "quarkus.http.limits.max-form-attribute-size", defaultValue = "2048")
    MemorySize fieldLimit;

    /** Set once the parser has handed the form on. */
    private static final String PARSED = "veza.form-parsed";
    /** How long after the last byte a form may still be unfinished: file writes catch up within milliseconds. */
    private static final long UNFINISHED_FORM_GRACE_MS = 5000;

    void install(@Observes Router router) {
        BodyHandler parser = BodyHandler.create(directory).setBodyLimit(limit.asLongValue()).setDeleteUploadedFilesOnEnd(true)
                .setMergeFormAttributes(false);
        // after the size and request-id handlers (Integer.MIN_VALUE), before JAX-RS
        router.post(FileResource.UPLOAD_PATH).order(-50).handler(ctx -> {
            String type = ctx.request().getHeader("Content-Type");
            if (type == null || !type.regionMatches(true, 0, "multipart/form-data", 0, 19)) {
                ctx.next();  // anything else is refused by JAX-RS (415) without being read
                return;
            }
            // A body that ends inside a part (no closing boundary) would leave the parser waiting for the rest forever
            ctx.request().end().onSuccess(v -> ctx.vertx().setTimer(UNFINISHED_FORM_GRACE_MS, t -> {
                if (ctx.get(PARSED) == null && !ctx.failed() && !ctx.response().headWritten()) {
                    ctx.fileUploads().forEach(u -> ctx.vertx().fileSystem().delete(u.uploadedFileName()));
                    ctx.fail(400);
                }
            }));
            parser.handle(ctx);
        }).failureHandler(ctx -> {
            // before the form is parsed, anything but a too large body is a form that could not be decoded
            if (ctx.get(PARSED) != null || ctx.statusCode() == 413 || ctx.response().headWritten()) {
                ctx.next();
                return;
            }
            try {
                ctx.response().setStatusCode(400).putHeader("Content-Type", Problem.MEDIA_TYPE).putHeader("Connection", "close")
                        .end(Buffer.buffer(json.writeValueAsBytes(Problem.of(ErrorCode.INVALID_STREAM_DATA,
                                "The multipart form could not be decoded (boundaries, headers, charset, %-escapes, or a field over "
                                        + fieldLimit.asLongValue() + " bytes)", ctx.request().getHeader(ProblemResponses.REQUEST_ID)))));
            } catch (JsonProcessingException e) {
                ctx.fail(e);
            }
        });
        router.post(FileResource.UPLOAD_PATH).order(-49).handler(ctx -> {
            ctx.put(PARSED, Boolean.TRUE);
            ctx.next();
        });
    }
}
