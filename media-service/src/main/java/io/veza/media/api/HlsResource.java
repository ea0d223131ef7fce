package io.veza.media.api;

import io.veza.contracts.ApiException;
import io.veza.contracts.ErrorCode;
import io.veza.media.domain.LiveHls;
import io.veza.media.domain.LiveStreams;
import io.veza.media.domain.LiveStreams.LiveStream;
import io.veza.media.domain.ObjectStore;
import io.veza.media.domain.ViewerTracker;
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
import java.util.stream.Collectors;

/**
 * The HLS origin for live streams, served from object storage. Playlists change, so they are cached for a
 * second; segments never change, so they are immutable. Joined players carry a viewer token ({@code vs}) that
 * counts them; private streams play only with one.
 */
@Path("/hls/live/{id}")
public class HlsResource {
    private static final String LIVE_PLAYLIST_CACHE = "public, max-age=1";
    private static final String ENDED_PLAYLIST_CACHE = "public, max-age=300";
    private static final String SEGMENT_CACHE = "public, max-age=31536000, immutable";

    @Inject
    ObjectStore store;
    @Inject
    LiveStreams streams;
    @Inject
    ViewerTracker viewers;

    @GET
    @Path("/master.m3u8")
    public Response master(@PathParam("id") String id, @QueryParam("vs") String vs) {
        LiveStream stream = playable(id, vs);
        String master = store.getText(LiveHls.prefix(id) + "master.m3u8").orElseThrow(HlsResource::notYet);
        if (vs != null) {
            // variant playlists are what players refresh: they must carry the viewer session too
            String query = "?vs=" + URLEncoder.encode(vs, StandardCharsets.UTF_8);
            master = master.lines().map(l -> l.isEmpty() || l.startsWith("#") ? l : l + query).collect(Collectors.joining("\n", "", "\n"));
        }
        return playlist(master, stream.ended());
    }

    @GET
    @Path("/{variant}/index.m3u8")
    public Response variant(@PathParam("id") String id, @PathParam("variant") String variant, @QueryParam("vs") String vs) {
        LiveStream stream = playable(id, vs);
        checkName(variant);
        if (vs != null && !stream.ended()) {
            viewers.seen(id, vs);
        }
        return playlist(store.getText(LiveHls.prefix(id) + variant + "/index.m3u8").orElseThrow(HlsResource::notYet), stream.ended());
    }

    @GET
    @Path("/{variant}/{segment}")
    public Response segment(@PathParam("id") String id, @PathParam("variant") String variant, @PathParam("segment") String segment) {
        checkName(variant);
        if (!segment.endsWith(".ts")) {
            throw notYet();
        }
        checkName(segment.substring(0, segment.length() - 3));
        ObjectStore.StoredObject object = store.get(LiveHls.prefix(id) + variant + "/" + segment).orElseThrow(HlsResource::notYet);
        StreamingOutput body = out -> {
            try (InputStream in = object.body()) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, "video/mp2t").header("Content-Length", object.length()).header("Cache-Control", SEGMENT_CACHE).build();
    }

    private LiveStream playable(String id, String vs) {
        checkName(id);
        LiveStream stream = streams.findRecent(id).orElseThrow(() -> new ApiException(ErrorCode.STREAM_NOT_FOUND, "No live stream " + id));
        if (!stream.isPublic() && (vs == null || !viewers.valid(id, vs))) {
            throw new ApiException(ErrorCode.STREAM_NOT_FOUND, "No live stream " + id);
        }
        return stream;
    }

    private static Response playlist(String m3u8, boolean ended) {
        return Response.ok(m3u8, LiveHls.PLAYLIST_TYPE).header("Cache-Control", ended ? ENDED_PLAYLIST_CACHE : LIVE_PLAYLIST_CACHE).build();
    }

    private static void checkName(String name) {
        if (!LiveHls.NAME.matcher(name).matches()) {
            throw notYet();
        }
    }

    private static ApiException notYet() {
        return new ApiException(ErrorCode.NOT_FOUND, "Not available (yet)");
    }
}
