package io.veza.media.api;

import io.veza.contracts.ApiException;
import io.veza.contracts.ErrorCode;
import io.veza.media.domain.LibraryFile;
import io.veza.media.domain.LibraryFiles;
import io.veza.media.domain.ObjectStore;
import io.veza.media.domain.PlaybackTokens;
import io.veza.media.domain.VodHls;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The HLS origin for library files: public files play for anyone, private ones with the playback token ({@code t})
 * of their {@code hls_url}, which the playlists hand on to every URI they list.
 */
@Path("/hls/files/{id}")
public class FileHlsResource {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    @Inject
    LibraryFiles files;
    @Inject
    ObjectStore store;
    @Inject
    PlaybackTokens tokens;

    @GET
    @Path("/" + VodHls.MASTER)
    public Response master(@PathParam("id") String id, @QueryParam("t") String token) {
        LibraryFile file = playable(id, token);
        return playlist(file, store.getText(LibraryFile.hlsPrefix(id) + VodHls.MASTER).orElseThrow(FileHlsResource::missing), token);
    }

    @GET
    @Path("/{variant}/" + VodHls.VARIANT)
    public Response variant(@PathParam("id") String id, @PathParam("variant") String variant, @QueryParam("t") String token) {
        LibraryFile file = playable(id, token);
        check(variant);
        return playlist(file, store.getText(LibraryFile.hlsPrefix(id) + variant + "/" + VodHls.VARIANT).orElseThrow(FileHlsResource::missing),
                token);
    }

    @GET
    @Path("/{variant}/{segment}")
    public Response segment(@PathParam("id") String id, @PathParam("variant") String variant, @PathParam("segment") String segment,
            @QueryParam("t") String token) {
        LibraryFile file = playable(id, token);
        check(variant);
        if (!segment.endsWith(".ts")) {
            throw missing();
        }
        check(segment.substring(0, segment.length() - 3));
        ObjectStore.StoredObject object = store.get(LibraryFile.hlsPrefix(id) + variant + "/" + segment).orElseThrow(FileHlsResource::missing);
        StreamingOutput body = out -> {
            try (InputStream in = object.body()) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, "video/mp2t").header("Content-Length", object.length())
                .header("Cache-Control", (file.isPublic() ? "public" : "private") + ", max-age=86400").build();
    }

    private LibraryFile playable(String id, String token) {
        if (!NAME.matcher(id).matches()) {
            throw notFound(id);
        }
        LibraryFile file = files.find(id).orElseThrow(() -> notFound(id));
        if (!file.isPublic() && (token == null || !tokens.valid(id, token))) {
            throw notFound(id);
        }
        if (!LibraryFile.READY.equals(file.status())) {
            throw new ApiException(ErrorCode.NOT_FOUND, "File " + id + " is not transcoded yet (" + file.status() + ")");
        }
        return file;
    }

    /** Playlists change when a file is transcoded again, so they are cached briefly; private ones pass on the token. */
    private static Response playlist(LibraryFile file, String m3u8, String token) {
        if (!file.isPublic()) {
            String query = "?t=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
            m3u8 = m3u8.lines().map(l -> l.isEmpty() || l.startsWith("#") ? l : l + query).collect(Collectors.joining("\n", "", "\n"));
        }
        return Response.ok(m3u8, VodHls.PLAYLIST_TYPE).header("Cache-Control", (file.isPublic() ? "public" : "private") + ", max-age=60").build();
    }

    private static void check(String name) {
        if (!NAME.matcher(name).matches()) {
            throw missing();
        }
    }

    private static ApiException notFound(String id) {
        return new ApiException(ErrorCode.FILE_NOT_FOUND, "No file " + id);
    }

    private static ApiException missing() {
        return new ApiException(ErrorCode.NOT_FOUND, "No such rendition");
    }
}
