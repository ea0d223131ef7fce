package io.veza.media.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.security.Authenticated;
import io.veza.contracts.ApiException;
import io.veza.contracts.ErrorCode;
import io.veza.media.domain.LibraryFile;
import io.veza.media.domain.LibraryFiles;
import io.veza.media.domain.MediaConfig;
import io.veza.media.domain.ObjectStore;
import io.veza.media.domain.UploadService;
import jakarta.inject.Inject;
import io.veza.media.domain.PlaybackTokens;
import io.veza.media.domain.VodHls;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** The media library: uploads (multipart, stored on disk while they arrive, never held in memory) and files. */
@Path("/api/v1/streams")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class FileResource {
    static final String UPLOAD_PATH = "/api/v1/streams/upload";
    @Inject
    UploadService uploads;
    @Inject
    LibraryFiles files;
    @Inject
    ObjectStore store;
    @Inject
    MediaConfig config;
    @Inject
    JsonWebToken jwt;
    @Inject
    PlaybackTokens playback;

    public record FileView(String fileId, String filename, long size, long duration, long durationMs, String url,
            @JsonInclude(JsonInclude.Include.ALWAYS) String hlsUrl, String status,
            @JsonInclude(JsonInclude.Include.NON_NULL) String failureReason, String title, String artist, String album,
            String genre, Integer year, Integer track, String category, List<String> tags, boolean isPublic, String format,
            String codec, Long bitrate, int sampleRate, int channels, List<Integer> renditions, Double loudnessLufs,
            String artworkUrl, Instant uploadedAt) {
    }

    @POST
    @Path("/upload")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response upload(@RestForm("file") List<FileUpload> file, @RestForm String title, @RestForm String artist,
            @RestForm String album, @RestForm String genre, @RestForm String category, @RestForm String tags,
            @RestForm("is_public") String isPublic) {
        if (file == null || file.size() != 1) {
            throw ApiException.invalid("Send exactly one part named 'file'");
        }
        FileUpload part = file.get(0);
        UploadService.Form form = UploadForms.of(title, artist, album, genre, category, tags, isPublic);
        LibraryFile stored = uploads.accept(jwt.getSubject(), UploadForms.filename(part), part.uploadedFile(), part.size(), form);
        return Response.status(Response.Status.CREATED).entity(view(stored)).build();
    }

    public record Pagination(int page, int limit, long total, long pages) {
    }

    public record FileList(List<FileView> files, Pagination pagination) {
    }

    /** The caller's files, or the public catalogue with {@code scope=public}; page from 1, limit 1 to 100 (else 400). */
    @GET
    @Path("/files")
    public FileList list(@QueryParam("page") String page, @QueryParam("limit") String limit, @QueryParam("category") String category,
            @QueryParam("search") String search, @QueryParam("scope") String scope) {
        int p = intParam("page", page, 1, 1, Integer.MAX_VALUE / 100);
        int l = intParam("limit", limit, 20, 1, 100);
        if (scope != null && !scope.equals("public") && !scope.equals("mine")) {
            throw ApiException.invalid("scope is 'mine' (default) or 'public'");
        }
        if (search != null && search.length() > 200) {
            throw ApiException.invalid("search is at most 200 characters");
        }
        UploadForms.decoded("search", search);
        UploadForms.decoded("category", category);
        LibraryFiles.Page found = files.list("public".equals(scope) ? null : jwt.getSubject(), category, search, p, l);
        return new FileList(found.files().stream().map(this::view).toList(),
                new Pagination(p, l, found.total(), (found.total() + l - 1) / l));
    }

    private static int intParam(String name, String value, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.invalid(name + " must be an integer from " + min + " to " + max);
    }

    @GET
    @Path("/files/{id}")
    public FileView get(@PathParam("id") String id) {
        return view(visible(id));
    }

    /** The original as uploaded, to those allowed to see the file. */
    @GET
    @Path("/files/{id}/original")
    @Produces(MediaType.WILDCARD)
    public Response original(@PathParam("id") String id) {
        LibraryFile file = visible(id);
        ObjectStore.StoredObject object = store.get(LibraryFile.originalKey(id)).orElseThrow(() -> notFound(id));
        StreamingOutput body = out -> {
            try (InputStream in = object.body()) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM).header("Content-Length", object.length())
                .header("Content-Disposition", "attachment; filename*=UTF-8''" + URLEncoder.encode(file.filename(), StandardCharsets.UTF_8).replace("+", "%20"))
                .build();
    }

    /** What the owner may change; absent (or null) fields stay, an empty artist, album or category clears it. */
    public record FileChanges(String title, String artist, String album, String category, List<String> tags, Boolean isPublic) {
    }

    @PATCH
    @Path("/files/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public FileView update(@PathParam("id") String id, FileChanges changes) {
        owned(id);
        if (changes == null) {
            throw ApiException.invalid("Send a JSON object with the fields to change");
        }
        UploadForms.decoded("title", changes.title());
        UploadForms.decoded("artist", changes.artist());
        UploadForms.decoded("album", changes.album());
        UploadForms.decoded("category", changes.category());
        if (changes.title() != null && (changes.title().isBlank() || changes.title().length() > UploadService.TEXT_MAX)) {
            throw ApiException.invalid("title is 1 to " + UploadService.TEXT_MAX + " characters");
        }
        for (String text : new String[] {changes.artist(), changes.album()}) {
            if (text != null && text.length() > UploadService.TEXT_MAX) {
                throw ApiException.invalid("artist and album are at most " + UploadService.TEXT_MAX + " characters");
            }
        }
        if (changes.category() != null && changes.category().length() > 50) {
            throw ApiException.invalid("category is at most 50 characters");
        }
        List<String> tags = changes.tags() == null ? null : UploadForms.checkTags(changes.tags());
        return view(files.update(id, new LibraryFiles.Changes(strip(changes.title()), strip(changes.artist()), strip(changes.album()),
                strip(changes.category()), tags, changes.isPublic())));
    }

    /** Removes the file, its original and everything made from it, and announces {@code file_deleted}. */
    @DELETE
    @Path("/files/{id}")
    public Response delete(@PathParam("id") String id) {
        owned(id);
        files.delete(id).ifPresent(deleted -> {
            store.delete(LibraryFile.originalKey(id));
            store.deletePrefix(LibraryFile.derivedPrefix(id));
        });
        return Response.noContent().build();
    }

    public record Waveform(String fileId, List<Float> peaks) {
    }

    /** Peak amplitudes (0 to 1) over the file, for a seek bar; 404 until the file is transcoded. */
    @GET
    @Path("/files/{id}/waveform")
    public Waveform waveform(@PathParam("id") String id) {
        visible(id);
        float[] peaks = files.waveform(id).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No waveform yet for " + id));
        List<Float> list = new ArrayList<>(peaks.length);
        for (float p : peaks) {
            list.add(p);
        }
        return new Waveform(id, list);
    }

    /** The picture embedded in the original (its cover art), as it was. */
    @GET
    @Path("/files/{id}/artwork")
    @Produces(MediaType.WILDCARD)
    public Response artwork(@PathParam("id") String id) {
        visible(id);
        ObjectStore.StoredObject object = store.get(LibraryFile.artworkKey(id))
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No artwork for " + id));
        StreamingOutput body = out -> {
            try (InputStream in = object.body()) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, object.contentType()).header("Content-Length", object.length()).header("Cache-Control", "private, max-age=3600")
                .build();
    }

    /** 404 for files the caller cannot see, 403 for those they can see but do not own. */
    private LibraryFile owned(String id) {
        LibraryFile file = visible(id);
        if (!file.ownedBy(jwt.getSubject())) {
            throw new ApiException(ErrorCode.FILE_ACCESS_DENIED, "Only the owner of " + id + " can change it");
        }
        return file;
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }

    private LibraryFile visible(String id) {
        return files.find(id).filter(f -> f.visibleTo(jwt.getSubject())).orElseThrow(() -> notFound(id));
    }

    private FileView view(LibraryFile f) {
        String base = config.publicUrl() + "/api/v1/streams/files/" + f.id();
        String hls = null;
        if (LibraryFile.READY.equals(f.status())) {
            hls = config.publicUrl() + "/hls/files/" + f.id() + "/" + VodHls.MASTER + (f.isPublic() ? "" : "?t=" + playback.issue(f.id()));
        }
        return new FileView(f.id(), f.filename(), f.size(), Math.round(f.durationMs() / 1000.0), f.durationMs(), base + "/original", hls,
                f.status(), f.failureReason(), f.title(), f.artist(), f.album(), f.genre(), f.year(), f.track(), f.category(), f.tags(),
                f.isPublic(), f.format(), f.codec(), f.bitrate(), f.sampleRate(), f.channels(), f.renditions(), f.loudnessLufs(),
                f.hasArtwork() ? base + "/artwork" : null, f.createdAt());
    }

    private static ApiException notFound(String id) {
        return new ApiException(ErrorCode.FILE_NOT_FOUND, "No file " + id);
    }
}
