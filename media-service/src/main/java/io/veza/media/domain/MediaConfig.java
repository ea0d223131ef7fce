package io.veza.media.domain;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

@ConfigMapping(prefix = "veza.media")
public interface MediaConfig {
    /** Public base URL of the gateway, for the URLs handed to clients. */
    @WithDefault("http://localhost:8080")
    String publicUrl();

    /** Bucket holding originals, renditions and live HLS. */
    String bucket();

    /** Where this replica's ffmpeg processes PUT their output (this replica's own address). */
    String selfUrl();

    /** RTMP application the live transcoder pulls encoder feeds from. */
    String rtmpPullUrl();

    /** stream-service, to report viewer counts. */
    String streamServiceUrl();

    @WithDefault("ffmpeg")
    String ffmpeg();

    /** Largest accepted upload (also the HTTP body limit of this service). */
    @WithDefault("500M")
    String maxUploadSize();

    /** Live AAC renditions, in kbit/s. */
    @WithDefault("64,128,192")
    List<Integer> liveBitrates();

    @WithDefault("2")
    int liveSegmentSeconds();

    /** Rendition names, as they appear in URLs: {@code 64k}, {@code 128k}... */
    default List<String> liveVariantNames() {
        return liveBitrates().stream().map(kbps -> kbps + "k").toList();
    }

    /** A player that has not refreshed its playlist for this long no longer counts as a viewer. */
    @WithDefault("30s")
    Duration viewerTimeout();

    /** How often viewer counts are computed and reported (this also coalesces viewer_count_updated events). */
    @WithDefault("2s")
    Duration viewerReportInterval();
}
