package io.veza.media.domain;

import io.quarkus.runtime.configuration.MemorySize;
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
    MemorySize maxUploadSize();

    /** A resumable upload that receives nothing for this long is abandoned: its chunks are deleted. */
    @WithDefault("24h")
    Duration resumableExpiry();

    /** Live AAC renditions, in kbit/s. */
    @WithDefault("64,128,192")
    List<Integer> liveBitrates();

    @WithDefault("2")
    int liveSegmentSeconds();

    /** Rendition names, as they appear in URLs: {@code 64k}, {@code 128k}... */
    default List<String> liveVariantNames() {
        return liveBitrates().stream().map(kbps -> kbps + "k").toList();
    }

    /** The library's AAC ladder, in kbit/s; rungs above a source's quality are left out. */
    @WithDefault("64,128,256")
    List<Integer> transcodeLadder();

    /** Transcoding jobs one replica runs at the same time. */
    @WithDefault("1")
    int transcodeWorkers();

    /** How long a claimed job stays with its worker without a renewal (the worker renews every third of it). */
    @WithDefault("30s")
    Duration transcodeLease();

    /** Claims of one job (each crash or lost lease is one) before its file is marked failed. */
    @WithDefault("3")
    int transcodeMaxAttempts();

    /** The time limit of one transcoding: this much, plus twice the file's duration. */
    @WithDefault("2m")
    Duration transcodeTimeout();

    /** A player that has not refreshed its playlist for this long no longer counts as a viewer. */
    @WithDefault("30s")
    Duration viewerTimeout();

    /** How often viewer counts are computed and reported (this also coalesces viewer_count_updated events). */
    @WithDefault("2s")
    Duration viewerReportInterval();
}
