package io.veza.stream.api;

import io.veza.contracts.ApiException;
import io.veza.contracts.ErrorCode;
import io.veza.stream.api.StreamDtos.ViewersUpdate;
import io.veza.stream.domain.Stream;
import io.veza.stream.domain.StreamConfig;
import io.veza.stream.domain.StreamService;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import io.veza.stream.domain.StreamStatus;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Calls from inside the platform, never routed by the gateway and protected by the shared internal secret:
 * the nginx-rtmp ingest's publish callbacks and the HLS origin's viewer counts.
 */
@Path("/internal")
public class InternalResource {
    private static final Logger LOG = Logger.getLogger(InternalResource.class);

    @Inject
    StreamService streams;
    @Inject
    StreamConfig config;

    /**
     * nginx-rtmp {@code on_publish}: the publish name is the stream key. A 2xx/3xx accepts (the 3xx renames the
     * RTMP stream to the stream id, so the key never travels further), anything else refuses the encoder.
     */
    @POST
    @Path("/ingest/publish")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response publish(@QueryParam("secret") String secret, @FormParam("name") String name, @FormParam("addr") String addr) {
        checkSecret(secret);
        Optional<Stream> stream = name == null || name.isBlank() ? Optional.empty() : streams.publish(name);
        if (stream.isEmpty()) {
            LOG.infof("Refused a publish from %s: unknown, stopped or busy stream key", addr);
            return Response.status(Response.Status.FORBIDDEN).build();
        }
        LOG.infof("Encoder from %s publishes stream %s", addr, stream.get().id);
        return Response.status(Response.Status.FOUND).header("Location", stream.get().id).build();
    }

    @POST
    @Path("/ingest/publish_done")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response publishDone(@QueryParam("secret") String secret, @FormParam("name") String name) {
        checkSecret(secret);
        if (name != null && !name.isBlank()) {
            streams.publishDone(name);
        }
        return Response.noContent().build();
    }

    @PUT
    @Path("/streams/{id}/viewers")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response viewers(@HeaderParam("X-Internal-Secret") String secret, @PathParam("id") String id, ViewersUpdate update) {
        checkSecret(secret);
        if (update == null || update.viewersCount() == null || update.viewersCount() < 0) {
            throw ApiException.invalid("viewers_count must be a non-negative integer");
        }
        streams.viewers(id, update.viewersCount());
        return Response.noContent().build();
    }

    public record Stats(long liveStreams, long startingStreams) {
    }

    /** Live figures for the gateway's /health (counts only: nothing secret). */
    @GET
    @Path("/stats")
    @Produces(MediaType.APPLICATION_JSON)
    public Stats stats() {
        return new Stats(streams.count(StreamStatus.LIVE), streams.count(StreamStatus.STARTING));
    }

    private void checkSecret(String secret) {
        if (secret == null || !MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                config.internalSecret().getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(ErrorCode.UNAUTHORIZED, "Internal endpoint");
        }
    }
}
