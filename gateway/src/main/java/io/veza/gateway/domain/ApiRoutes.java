package io.veza.gateway.domain;

/** Which service answers a (normalized) {@code /api/v1} path. */
public final class ApiRoutes {
    public record Target(Upstream upstream, boolean upload) {
    }

    private static final String STREAMS = "/api/v1/streams";
    private static final String PLAYLISTS = "/api/v1/playlists";

    private ApiRoutes() {
    }

    /** The target, or null when no service owns the path. */
    public static Target of(String path) {
        if (path.equals(STREAMS + "/upload") || under(path, STREAMS + "/uploads")) {
            return new Target(Upstream.MEDIA, true);
        }
        if (under(path, STREAMS + "/files")) {
            return new Target(Upstream.MEDIA, false);
        }
        if (under(path, STREAMS)) {
            return new Target(Upstream.STREAM, false);
        }
        if (under(path, PLAYLISTS)) {
            return new Target(Upstream.PLAYLIST, false);
        }
        return null;
    }

    static boolean under(String path, String prefix) {
        return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }
}
