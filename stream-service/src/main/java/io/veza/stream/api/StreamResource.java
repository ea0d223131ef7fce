package io.veza.stream.api;

import io.quarkus.security.Authenticated;
import io.veza.contracts.ApiException;
import io.veza.contracts.ViewerToken;
import io.veza.stream.api.StreamDtos.JoinResponse;
import io.veza.stream.api.StreamDtos.LiveStream;
import io.veza.stream.api.StreamDtos.LiveStreams;
import io.veza.stream.api.StreamDtos.StartStreamRequest;
import io.veza.stream.api.StreamDtos.StartStreamResponse;
import io.veza.stream.api.StreamDtos.StopStreamResponse;
import io.veza.stream.api.StreamDtos.StreamView;
import io.veza.stream.domain.Caller;
import io.veza.stream.domain.Categories;
import io.veza.stream.domain.Stream;
import io.veza.stream.domain.StreamConfig;
import io.veza.stream.domain.StreamService;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import org.eclipse.microprofile.jwt.JsonWebToken;

@Path("/api/v1/streams")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class StreamResource {
    static final int LIVE_LIMIT_DEFAULT = 20;
    static final int LIVE_LIMIT_MAX = 100;

    @Inject
    StreamService streams;
    @Inject
    StreamConfig config;
    @Inject
    JsonWebToken jwt;

    private ViewerToken viewerTokens;

    @POST
    @Path("/start")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(StartStreamRequest request) {
        Stream stream = streams.start(caller(), StartStreamValidation.validate(request));
        return Response.created(URI.create("/api/v1/streams/" + stream.id))
                .entity(new StartStreamResponse(stream.id, rtmpUrl(stream), config.rtmpUrl(), stream.streamKey, hlsUrl(stream), stream.status))
                .build();
    }

    @POST
    @Path("/{id}/stop")
    public StopStreamResponse stop(@PathParam("id") String id) {
        Stream stream = streams.stop(caller(), id);
        return new StopStreamResponse(stream.id, stream.status, stream.liveSeconds, stream.viewersPeak);
    }

    @GET
    @Path("/live")
    public LiveStreams live(@QueryParam("category") String category, @QueryParam("limit") String limit) {
        if (category != null && !Categories.known(category)) {
            throw ApiException.invalid("category must be one of " + Categories.ALL);
        }
        int size = parseLimit(limit);
        return new LiveStreams(streams.live(category, size).stream()
                .map(s -> new LiveStream(s.id, s.userId, s.username, s.title, s.viewersCount, s.category, s.tags, s.startedAt, null, hlsUrl(s)))
                .toList());
    }

    @GET
    @Path("/{id}")
    public StreamView get(@PathParam("id") String id) {
        Caller caller = caller();
        Stream s = streams.visible(caller, id);
        boolean owner = caller.owns(s);
        return new StreamView(s.id, s.userId, s.username, s.title, s.description, s.status, s.viewersCount, s.viewersPeak,
                s.createdAt, s.startedAt, s.stoppedAt, s.durationSeconds(Instant.now()), s.category, s.tags, s.isPublic, hlsUrl(s), null,
                owner ? s.streamKey : null, owner ? rtmpUrl(s) : null, owner ? config.rtmpUrl() : null);
    }

    @POST
    @Path("/{id}/join")
    public JoinResponse join(@PathParam("id") String id) {
        StreamService.Joined joined = streams.join(caller(), id, viewerTokens());
        return new JoinResponse(id, hlsUrl(joined.stream()) + "?vs=" + joined.viewerToken(), "chat_" + id, joined.joinedAt());
    }

    private static int parseLimit(String limit) {
        if (limit == null) {
            return LIVE_LIMIT_DEFAULT;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= LIVE_LIMIT_MAX) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.invalid("limit must be an integer from 1 to " + LIVE_LIMIT_MAX);
    }

    private Caller caller() {
        String name = jwt.getClaim("preferred_username");
        return new Caller(jwt.getSubject(), name == null ? jwt.getSubject() : name, jwt.getGroups().contains("admin"));
    }

    private String hlsUrl(Stream stream) {
        return config.publicUrl() + "/hls/live/" + stream.id + "/master.m3u8";
    }

    private String rtmpUrl(Stream stream) {
        return config.rtmpUrl() + "/" + stream.streamKey;
    }

    private ViewerToken viewerTokens() {
        if (viewerTokens == null) {
            viewerTokens = new ViewerToken(config.internalSecret());
        }
        return viewerTokens;
    }
}
