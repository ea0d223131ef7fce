package io.veza.media.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.veza.contracts.ApiException;
import io.veza.contracts.ErrorCode;
import io.veza.contracts.Ids;
import io.veza.contracts.Problem;
import io.veza.media.domain.LibraryFile;
import io.veza.media.domain.MediaConfig;
import io.veza.media.domain.ObjectStore;
import io.veza.media.domain.ResumableUploads;
import io.veza.media.domain.ResumableUploads.Upload;
import io.veza.media.domain.UploadService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Resumable uploads, tus 1.0 (core, creation, termination, checksum, expiration) under {@code /api/v1/streams/uploads}.
 * A Vert.x route rather than JAX-RS because a PATCH body must stream to disk as it arrives, and what arrived before a
 * dropped connection must still count. Each chunk becomes an object in S3 and the offset lives in PostgreSQL, so any
 * replica can take the next chunk. The last chunk makes the upload a library file exactly like a multipart upload.
 */
@ApplicationScoped
public class ResumableUploadRoutes {
    private static final Logger LOG = Logger.getLogger(ResumableUploadRoutes.class);
    static final String BASE = "/api/v1/streams/uploads";
    static final String TUS_VERSION = "1.0.0";
    static final String CHUNK_TYPE = "application/offset+octet-stream";
    private static final Map<String, String> CHECKSUMS = Map.of("sha1", "SHA-1", "sha256", "SHA-256", "md5", "MD5");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
    private static final Pattern ID = Pattern.compile("upl_[A-Za-z0-9]{1,64}");

    @Inject
    JWTParser jwt;
    @Inject
    Vertx vertx;
    @Inject
    ResumableUploads uploads;
    @Inject
    ObjectStore store;
    @Inject
    UploadService library;
    @Inject
    MediaConfig config;
    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        // ahead of the JAX-RS routes, behind the size and request-id handlers (Integer.MIN_VALUE)
        router.route(BASE).order(-100).handler(ctx -> dispatch(ctx, null));
        router.route(BASE + "/:id").order(-100).handler(ctx -> dispatch(ctx, ctx.pathParam("id")));
    }

    private void dispatch(RoutingContext ctx, String id) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response().putHeader("Tus-Resumable", TUS_VERSION);
        HttpMethod method = request.method();
        if (method == HttpMethod.OPTIONS) {
            response.setStatusCode(204).putHeader("Tus-Version", TUS_VERSION)
                    .putHeader("Tus-Extension", "creation,termination,checksum,expiration")
                    .putHeader("Tus-Max-Size", String.valueOf(config.maxUploadSize().asLongValue()))
                    .putHeader("Tus-Checksum-Algorithm", "sha1,sha256,md5").end();
            return;
        }
        if (!TUS_VERSION.equals(request.getHeader("Tus-Resumable"))) {
            response.putHeader("Tus-Version", TUS_VERSION);
            problem(ctx, ErrorCode.TUS_VERSION_UNSUPPORTED, "Send Tus-Resumable: " + TUS_VERSION);
            return;
        }
        String user = user(request);
        if (user == null) {
            response.putHeader("WWW-Authenticate", "Bearer");
            problem(ctx, ErrorCode.UNAUTHORIZED, "A valid bearer token is required");
            return;
        }
        if (id == null ? method != HttpMethod.POST : method == HttpMethod.POST) {
            response.putHeader("Allow", id == null ? "OPTIONS, POST" : "OPTIONS, HEAD, PATCH, DELETE");
            problem(ctx, ErrorCode.METHOD_NOT_ALLOWED, method + " is not a tus request here");
            return;
        }
        if (id != null && !ID.matcher(id).matches()) {
            problem(ctx, ErrorCode.UPLOAD_NOT_FOUND, "No upload " + id);
            return;
        }
        if (method == HttpMethod.POST) {
            create(ctx, user);
        } else if (method == HttpMethod.HEAD) {
            blocking(ctx, () -> owned(id, user), upload -> {
                offsets(response, upload).putHeader("Cache-Control", "no-store");
                if (!upload.metadata().isEmpty()) {
                    response.putHeader("Upload-Metadata", upload.metadata());
                }
                response.setStatusCode(200).end();
            });
        } else if (method == HttpMethod.DELETE) {
            blocking(ctx, () -> {
                owned(id, user);
                uploads.delete(id);
                store.deletePrefix(ResumableUploads.chunkPrefix(id));
                return id;
            }, deleted -> response.setStatusCode(204).end());
        } else if (method == HttpMethod.PATCH) {
            // nothing of the body may be read before the offset is checked
            request.pause();
            patch(ctx, id, user);
        } else {
            response.putHeader("Allow", "OPTIONS, HEAD, PATCH, DELETE");
            problem(ctx, ErrorCode.METHOD_NOT_ALLOWED, method + " is not a tus request");
        }
    }

    /** Creation: the length is known up front (no deferred length) and the metadata is checked before any byte is sent. */
    private void create(RoutingContext ctx, String user) {
        HttpServerRequest request = ctx.request();
        String length = request.getHeader("Upload-Length");
        if (length == null || !DIGITS.matcher(length).matches()) {
            problem(ctx, ErrorCode.INVALID_STREAM_DATA, "Upload-Length (a number of bytes) is required; deferred lengths are not supported");
            return;
        }
        long size = Long.parseLong(length);
        if (size > config.maxUploadSize().asLongValue()) {
            problem(ctx, ErrorCode.FILE_TOO_LARGE, "Files are at most " + config.maxUploadSize().asLongValue() + " bytes");
            return;
        }
        if (size == 0) {
            problem(ctx, ErrorCode.UNSUPPORTED_FORMAT, "An empty file is not audio");
            return;
        }
        String metadata = request.getHeader("Upload-Metadata") == null ? "" : request.getHeader("Upload-Metadata").strip();
        try {
            form(metadata);
        } catch (ApiException e) {
            problem(ctx, e.code, e.getMessage());
            return;
        }
        blocking(ctx, () -> uploads.create(user, size, metadata, config.resumableExpiry()), upload -> offsets(ctx.response(), upload)
                .putHeader("Location", config.publicUrl() + BASE + "/" + upload.id()).setStatusCode(201).end());
    }

    /** The pairs of {@code Upload-Metadata} as the upload form; keys we do not read (tus clients add their own) are ignored. */
    static UploadService.Form form(String metadata) {
        Map<String, String> values = metadataValues(metadata);
        return UploadForms.of(values.get("title"), values.get("artist"), values.get("album"), values.get("genre"), values.get("category"),
                values.get("tags"), values.get("is_public"));
    }

    static Map<String, String> metadataValues(String metadata) {
        Map<String, String> values = new HashMap<>();
        if (metadata.isEmpty()) {
            return values;
        }
        for (String pair : metadata.split(",")) {
            String[] kv = pair.strip().split(" ", -1);
            if (kv.length > 2 || kv[0].isEmpty() || values.containsKey(kv[0])) {
                throw ApiException.invalid("Upload-Metadata is comma-separated 'key base64value' pairs with distinct keys");
            }
            try {
                // strict UTF-8: a broken value is refused, never stored with replacement characters
                values.put(kv[0], kv.length == 2 ? StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Base64.getDecoder().decode(kv[1]))).toString() : "");
            } catch (IllegalArgumentException | CharacterCodingException e) {
                throw ApiException.invalid("The Upload-Metadata value of " + kv[0] + " is not base64 of UTF-8 text");
            }
        }
        return values;
    }

    private void patch(RoutingContext ctx, String id, String user) {
        HttpServerRequest request = ctx.request();
        String type = request.getHeader("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith(CHUNK_TYPE)) {
            problem(ctx, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "A chunk is sent as " + CHUNK_TYPE);
            return;
        }
        String offsetHeader = request.getHeader("Upload-Offset");
        if (offsetHeader == null || !DIGITS.matcher(offsetHeader).matches()) {
            problem(ctx, ErrorCode.INVALID_STREAM_DATA, "Upload-Offset (a number of bytes) is required");
            return;
        }
        long offset = Long.parseLong(offsetHeader);
        MessageDigest digest;
        byte[] expected;
        try {
            String checksum = request.getHeader("Upload-Checksum");
            digest = checksum == null ? null : digest(checksum.strip().split(" ")[0]);
            expected = checksum == null ? null : Base64.getDecoder().decode(checksum.strip().split(" ", 2)[1].strip());
        } catch (ApiException e) {
            problem(ctx, e.code, e.getMessage());
            return;
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            problem(ctx, ErrorCode.INVALID_STREAM_DATA, "Upload-Checksum is '<algorithm> <base64 digest>'");
            return;
        }
        String contentLength = request.getHeader("Content-Length");
        blocking(ctx, () -> {
            Upload upload = owned(id, user);
            if (upload.fileId() != null || upload.received() != offset) {
                throw new ApiException(ErrorCode.UPLOAD_OFFSET_MISMATCH, "The upload is at offset " + upload.received() + ", not " + offset);
            }
            if (contentLength != null && DIGITS.matcher(contentLength).matches() && offset + Long.parseLong(contentLength) > upload.length()) {
                throw new ApiException(ErrorCode.FILE_TOO_LARGE, "The chunk goes beyond the Upload-Length of " + upload.length());
            }
            return upload;
        }, upload -> receive(ctx, upload, digest, expected));
    }

    static MessageDigest digest(String algorithm) {
        String name = CHECKSUMS.get(algorithm.toLowerCase(java.util.Locale.ROOT));
        if (name == null) {
            throw ApiException.invalid("Checksum algorithms: sha1, sha256, md5");
        }
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Streams the chunk to a local file; at its end, or when the client goes away, stores what arrived. */
    private void receive(RoutingContext ctx, Upload upload, MessageDigest digest, byte[] expected) {
        HttpServerRequest request = ctx.request();
        Path part;
        try {
            part = Files.createTempFile("tus-", ".part");
        } catch (IOException e) {
            problem(ctx, ErrorCode.STREAM_ERROR, "No room to receive the chunk");
            return;
        }
        long room = upload.length() - upload.received();
        long[] received = {0};
        AtomicBoolean ended = new AtomicBoolean();
        AsyncFile file = vertx.fileSystem().openBlocking(part.toString(), new OpenOptions().setWrite(true).setTruncateExisting(true));
        Runnable overflow = () -> {
            if (ended.compareAndSet(false, true)) {
                file.close().onComplete(v -> vertx.executeBlocking(() -> Files.deleteIfExists(part), false));
                ctx.response().putHeader("Connection", "close");
                problem(ctx, ErrorCode.FILE_TOO_LARGE, "The chunk goes beyond the Upload-Length of " + upload.length());
            }
        };
        request.handler(buffer -> {
            if (ended.get()) {
                return;
            }
            received[0] += buffer.length();
            if (received[0] > room) {
                overflow.run();
                return;
            }
            if (digest != null) {
                digest.update(buffer.getBytes());
            }
            file.write(buffer);
            if (file.writeQueueFull()) {
                request.pause();
                file.drainHandler(v -> request.resume());
            }
        });
        request.endHandler(v -> finish(ctx, upload, file, part, received[0], true, digest, expected, ended));
        // a dropped connection: what arrived counts (unless it cannot be checked against a checksum)
        request.exceptionHandler(e -> finish(ctx, upload, file, part, received[0], false, digest, expected, ended));
        ctx.response().closeHandler(v -> finish(ctx, upload, file, part, received[0], false, digest, expected, ended));
        request.resume();
    }

    private void finish(RoutingContext ctx, Upload upload, AsyncFile file, Path part, long bytes, boolean whole, MessageDigest digest,
            byte[] expected, AtomicBoolean ended) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        boolean verified = digest == null || (whole && MessageDigest.isEqual(digest.digest(), expected));
        file.close().onComplete(closed -> blocking(ctx, () -> {
            try {
                if (!verified) {
                    if (whole) {
                        throw new ApiException(ErrorCode.CHECKSUM_MISMATCH, "The chunk does not match its Upload-Checksum");
                    }
                    return upload;
                }
                return bytes == 0 ? upload : store(upload, part, bytes);
            } finally {
                Files.deleteIfExists(part);
            }
        }, stored -> offsets(ctx.response(), stored).setStatusCode(204).end()));
    }

    /** Stores the chunk, moves the offset, and turns a completed upload into a library file. */
    private Upload store(Upload upload, Path part, long bytes) throws IOException {
        String key = ResumableUploads.chunkPrefix(upload.id()) + String.format("%015d-%s", upload.received(), Ids.random("", 6));
        store.putFile(key, part, "application/octet-stream");
        Upload now = uploads.append(upload.id(), upload.received(), key, bytes, config.resumableExpiry()).orElse(null);
        if (now == null) {
            store.delete(key);
            throw new ApiException(ErrorCode.UPLOAD_OFFSET_MISMATCH, "Another request moved the upload's offset meanwhile");
        }
        if (!now.complete()) {
            return now;
        }
        Path whole = Files.createTempFile("tus-", ".upload");
        try {
            try (OutputStream out = Files.newOutputStream(whole, StandardOpenOption.TRUNCATE_EXISTING)) {
                for (String chunk : now.chunks()) {
                    Path piece = Files.createTempFile("tus-", ".chunk");
                    try {
                        if (!store.download(chunk, piece)) {
                            throw new IllegalStateException("chunk " + chunk + " is missing");
                        }
                        Files.copy(piece, out);
                    } finally {
                        Files.deleteIfExists(piece);
                    }
                }
            }
            Map<String, String> meta = metadataValues(now.metadata());
            LibraryFile file;
            try {
                file = library.accept(now.userId(), meta.getOrDefault("filename", meta.get("name")), whole, now.length(), form(now.metadata()));
            } catch (ApiException e) {
                // not audio: nothing of it stays
                uploads.delete(now.id());
                store.deletePrefix(ResumableUploads.chunkPrefix(now.id()));
                throw e;
            }
            uploads.finish(now.id(), file.id());
            store.deletePrefix(ResumableUploads.chunkPrefix(now.id()));
            return uploads.find(now.id()).orElse(now);
        } finally {
            Files.deleteIfExists(whole);
        }
    }

    private Upload owned(String id, String user) {
        return uploads.find(id).filter(u -> u.ownedBy(user)).orElseThrow(() -> new ApiException(ErrorCode.UPLOAD_NOT_FOUND, "No upload " + id));
    }

    private HttpServerResponse offsets(HttpServerResponse response, Upload upload) {
        response.putHeader("Upload-Offset", String.valueOf(upload.received())).putHeader("Upload-Length", String.valueOf(upload.length()))
                .putHeader("Upload-Expires", DateTimeFormatter.RFC_1123_DATE_TIME.format(upload.expiresAt().atOffset(ZoneOffset.UTC)));
        if (upload.fileId() != null) {
            response.putHeader("Veza-File-Id", upload.fileId())
                    .putHeader("Content-Location", config.publicUrl() + "/api/v1/streams/files/" + upload.fileId());
        }
        return response;
    }

    private String user(HttpServerRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        try {
            return jwt.parse(header.substring(7).strip()).getSubject();
        } catch (ParseException e) {
            return null;
        }
    }

    interface Reply<T> {
        void send(T value);
    }

    /** Runs {@code work} off the event loop, then replies; an {@link ApiException} becomes its problem JSON. */
    private <T> void blocking(RoutingContext ctx, Callable<T> work, Reply<T> reply) {
        vertx.executeBlocking(work, false).onComplete(result -> {
            if (ctx.response().closed() || ctx.response().ended()) {
                return;
            }
            if (result.succeeded()) {
                reply.send(result.result());
            } else if (result.cause() instanceof ApiException e) {
                problem(ctx, e.code, e.getMessage());
            } else {
                LOG.warnf("Resumable upload request failed: %s", result.cause().toString());
                problem(ctx, ErrorCode.STREAM_ERROR, "The upload could not be processed; try again");
            }
        });
    }

    private void problem(RoutingContext ctx, ErrorCode code, String detail) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(code.status);
        if (code.status == 460) {
            response.setStatusMessage("Checksum Mismatch");
        }
        if (ctx.request().method() == HttpMethod.HEAD) {
            response.end();
            return;
        }
        try {
            response.putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end(Buffer.buffer(json.writeValueAsBytes(Problem.of(code, detail, ctx.request().getHeader("X-Request-Id")))));
        } catch (JsonProcessingException e) {
            response.end();
        }
    }
}
