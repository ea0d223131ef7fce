package io.veza.media.api;

import io.veza.contracts.ApiException;
import io.veza.contracts.ErrorCode;
import io.veza.media.domain.LiveHls;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;

/** Where this replica's live ffmpeg processes write; the path's run token is the only credential they have. */
@Path("/internal/live/{run}/{variant}/{file}")
public class LiveIngestResource {
    @Inject
    LiveHls hls;

    @PUT
    @Consumes(MediaType.WILDCARD)
    public Response write(@PathParam("run") String run, @PathParam("variant") String variant, @PathParam("file") String file, byte[] body) {
        boolean accepted = file.equals("index.m3u8")
                ? hls.playlist(run, variant, new String(body, StandardCharsets.UTF_8))
                : hls.segment(run, variant, file, body);
        if (!accepted) {
            throw new ApiException(ErrorCode.NOT_FOUND, "No such live output");
        }
        return Response.noContent().build();
    }

    /** ffmpeg may ask to delete segments that left its window; ours keep every segment. */
    @DELETE
    public Response delete() {
        return Response.noContent().build();
    }
}
