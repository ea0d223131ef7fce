package io.veza.stream.domain;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "veza")
public interface StreamConfig {
    /** Public base URL of the gateway, used in the hls_url handed to clients. */
    @WithDefault("http://localhost:8080")
    String publicUrl();

    /** RTMP application URL encoders publish to (the stream key is appended). */
    @WithDefault("rtmp://localhost:1935/live")
    String rtmpUrl();

    /** nginx-rtmp control endpoint, used to drop the publisher of a stopped stream. */
    @WithDefault("http://127.0.0.1:18088/control")
    String ingestControlUrl();

    /** Shared secret of internal callers (the ingest, the HLS origin). */
    String internalSecret();

    /** How long a dropped encoder may take to come back and continue the same stream. */
    @WithDefault("30s")
    Duration reconnectWindow();

    /** How long a started stream may wait for its first publish before it is stopped. */
    @WithDefault("10m")
    Duration startExpiry();

    /** How long a viewer session handed out by join stays valid. */
    @WithDefault("12h")
    Duration viewerSessionTtl();
}
