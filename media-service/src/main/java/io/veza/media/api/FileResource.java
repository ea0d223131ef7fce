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
import jakarta.ws.rs.Consumes;
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

    public record FileView(String fileId, String filename, long size, long duration, long durationMs, String url,
            @JsonInclude(JsonInclude.Include.ALWAYS) String hlsUrl, String status, String title, String artist, String album,
            String genre, Integer year, Integer track, String category, List<String> tags, boolean isPublic, String format,
            String codec, Long bitrate, int sampleRate, int channels, Instant uploadedAt) {
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
        UploadService.Form form = new UploadService.Form(title, artist, album, genre, checkCategory(category), parseTags(tags), parseBoolean(isPublic));
        LibraryFile stored = uploads.accept(jwt.getSubject(), part.fileName(), part.uploadedFile(), part.size(), form);
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

    private LibraryFile visible(String id) {
        return files.find(id).filter(f -> f.visibleTo(jwt.getSubject())).orElseThrow(() -> notFound(id));
    }

    private FileView view(LibraryFile f) {
        String url = config.publicUrl() + "/api/v1/streams/files/" + f.id() + "/original";
        return new FileView(f.id(), f.filename(), f.size(), Math.round(f.durationMs() / 1000.0), f.durationMs(), url, null, f.status(),
                f.title(), f.artist(), f.album(), f.genre(), f.year(), f.track(), f.category(), f.tags(), f.isPublic(), f.format(),
                f.codec(), f.bitrate(), f.sampleRate(), f.channels(), f.createdAt());
    }

    private static ApiException notFound(String id) {
        return new ApiException(ErrorCode.FILE_NOT_FOUND, "No file " + id);
    }

    private static String checkCategory(String category) {
        if (category != null && (category.isBlank() || category.length() > 50)) {
            throw ApiException.invalid("category is 1 to 50 characters");
        }
        return category;
    }

    /** Tags as a comma-separated form field: at most 10, each 1 to 30 characters. */
    private static List<String> parseTags(String tags) {
        List<String> parsed = new ArrayList<>();
        if (tags != null && !tags.isBlank()) {
            for (String tag : tags.split(",")) {
                String t = tag.strip();
                if (t.isEmpty() || t.length() > 30) {
                    throw ApiException.invalid("each tag is 1 to 30 characters");
                }
                if (!parsed.contains(t)) {
                    parsed.add(t);
                }
            }
        }
        if (parsed.size() > 10) {
            throw ApiException.invalid("at most 10 tags");
        }
        return parsed;
    }

    private static boolean parseBoolean(String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        if (!value.equals("true") && !value.equals("false")) {
            throw ApiException.invalid("is_public is true or false");
        }
        return Boolean.parseBoolean(value);
    }
}
