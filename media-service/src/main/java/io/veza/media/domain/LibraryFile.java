package io.veza.media.domain;

import java.time.Instant;
import java.util.List;

/**
 * An audio file of the library, as stored. {@code coverCodec} names the embedded picture found at upload (if any);
 * the transcoding worker fills in {@code renditions} (kbit/s), {@code loudnessLufs} and {@code hasArtwork}.
 */
public record LibraryFile(
        String id, String userId, String filename, String title, String artist, String album, String genre,
        Integer year, Integer track, String category, List<String> tags, boolean isPublic, long size,
        long durationMs, String format, String codec, Long bitrate, int sampleRate, int channels, String coverCodec,
        String status, String failureReason, List<Integer> renditions, Double loudnessLufs, boolean hasArtwork,
        Instant createdAt) {

    public static final String UPLOADED = "uploaded";
    public static final String PROCESSING = "processing";
    public static final String READY = "ready";
    public static final String FAILED = "failed";

    public static String originalKey(String id) {
        return "originals/" + id;
    }

    /** Everything made from the original lives under this prefix: HLS renditions and artwork. */
    public static String derivedPrefix(String id) {
        return "files/" + id + "/";
    }

    public static String hlsPrefix(String id) {
        return derivedPrefix(id) + "hls/";
    }

    public static String artworkKey(String id) {
        return derivedPrefix(id) + "artwork";
    }

    public boolean visibleTo(String userId) {
        return isPublic || this.userId.equals(userId);
    }

    public boolean ownedBy(String userId) {
        return this.userId.equals(userId);
    }
}
