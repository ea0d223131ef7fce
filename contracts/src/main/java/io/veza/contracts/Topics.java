package io.veza.contracts;

/** Kafka topics, keyed by entity id, carrying {@link EventEnvelope} JSON values. */
public final class Topics {
    public static final String STREAMS = "veza.streams.v1";
    public static final String MEDIA = "veza.media.v1";
    public static final String PLAYLISTS = "veza.playlists.v1";

    private Topics() {
    }
}
