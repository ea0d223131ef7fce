package io.veza.media.domain;

import java.time.Instant;
import java.util.List;

/** An audio file of the library, as stored. */
public record LibraryFile(
        String id, String userId, String filename, String title, String artist, String album, String genre,
        Integer year, Integer track, String category, List<String> tags, boolean isPublic, long size,
        long durationMs, String format, String codec, Long bitrate, int sampleRate, int channels, String status,
        Instant createdAt) {

    public static String originalKey(String id) {
        return "originals/" + id;
    }

    public boolean visibleTo(String userId) {
        return isPublic || this.userId.equals(userId);
    }
}
