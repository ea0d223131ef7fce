package io.veza.contracts;

/**
 * Event types on {@link Topics#STREAMS}. Every event's data carries {@code stream_id}, {@code user_id} and
 * {@code is_public} so that consumers can route it without another lookup.
 */
public final class StreamEvents {
    /** First successful publish: the stream is live. Data adds title, username, started_at. */
    public static final String STARTED = "veza.stream.started";
    /** The encoder came back within the reconnect window: the same stream goes on. */
    public static final String PUBLISH_RESUMED = "veza.stream.publish_resumed";
    /** The encoder dropped; the reconnect window is open. */
    public static final String PUBLISH_INTERRUPTED = "veza.stream.publish_interrupted";
    /** Final: data adds duration, viewers_peak, stopped_at. */
    public static final String STOPPED = "veza.stream.stopped";
    /** Data adds viewers_count, updated_at. */
    public static final String VIEWERS_UPDATED = "veza.stream.viewers_updated";

    private StreamEvents() {
    }
}
