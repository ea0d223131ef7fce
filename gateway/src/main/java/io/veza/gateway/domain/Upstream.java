package io.veza.gateway.domain;

/** The services behind the gateway, named as in {@code /health}. */
public enum Upstream {
    STREAM("stream-service"),
    MEDIA("media-service"),
    PLAYLIST("playlist-service"),
    EVENTS("events-service");

    public final String id;

    Upstream(String id) {
        this.id = id;
    }

    public String baseUrl(GatewayConfig config) {
        return switch (this) {
            case STREAM -> config.streamService();
            case MEDIA -> config.mediaService();
            case PLAYLIST -> config.playlistService();
            case EVENTS -> config.eventsService();
        };
    }
}
