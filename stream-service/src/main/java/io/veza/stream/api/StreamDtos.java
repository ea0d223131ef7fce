package io.veza.stream.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** The public JSON shapes (snake_case on the wire). */
public final class StreamDtos {
    private StreamDtos() {
    }

    public record StartStreamRequest(String title, String description, Boolean isPublic, String category, List<String> tags) {
    }

    public record StartStreamResponse(String streamId, String rtmpUrl, String rtmpServer, String streamKey, String hlsUrl, String status) {
    }

    public record StopStreamResponse(String streamId, String status, long duration, int viewersPeak) {
    }

    public record StreamView(
            String streamId, String userId, String username, String title, String description, String status,
            int viewersCount, int viewersPeak, Instant createdAt, Instant startedAt, Instant stoppedAt, long duration,
            String category, List<String> tags, boolean isPublic, String hlsUrl, String thumbnailUrl,
            @JsonInclude(JsonInclude.Include.NON_NULL) String streamKey,
            @JsonInclude(JsonInclude.Include.NON_NULL) String rtmpUrl,
            @JsonInclude(JsonInclude.Include.NON_NULL) String rtmpServer) {
    }

    public record LiveStream(String streamId, String userId, String username, String title, int viewersCount,
            String category, List<String> tags, Instant startedAt, String thumbnailUrl, String hlsUrl) {
    }

    public record LiveStreams(List<LiveStream> streams) {
    }

    public record JoinResponse(String streamId, String hlsUrl, String chatRoom, Instant joinedAt) {
    }

    public record ViewersUpdate(Integer viewersCount) {
    }
}
