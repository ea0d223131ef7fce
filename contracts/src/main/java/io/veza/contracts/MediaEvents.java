package io.veza.contracts;

/**
 * Event types on {@link Topics#MEDIA}, keyed by file id. Every event's data carries {@code file_id}, {@code user_id},
 * {@code is_public}, {@code filename}, {@code title} and {@code status}; they reach the file's owner only.
 */
public final class MediaEvents {
    public static final String PREFIX = "veza.media.";
    /** Accepted and stored; transcoding is queued. Data adds size, duration. */
    public static final String FILE_UPLOADED = "veza.media.file_uploaded";
    /** Renditions are playable. Data adds duration, hls_url (without any access token), renditions, loudness_lufs. */
    public static final String FILE_READY = "veza.media.file_ready";
    /** Transcoding gave up. Data adds reason. */
    public static final String FILE_FAILED = "veza.media.file_failed";
    /** The file and everything made from it are gone. */
    public static final String FILE_DELETED = "veza.media.file_deleted";

    private MediaEvents() {
    }
}
