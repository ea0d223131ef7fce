package io.veza.media.domain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Turns an original into stereo AAC HLS renditions, and measures it on the way. */
public interface Transcoder {
    /** Loudness (EBU R128 integrated, LUFS) and {@code peaks} (0 to 1) of the whole file. */
    record Analysis(double loudnessLufs, float[] peaks) {
    }

    /** The file cannot be transcoded; {@code reason} is fit for its owner to read. */
    class Failure extends Exception {
        public Failure(String reason) {
            super(reason);
        }
    }

    /**
     * Writes {@code <outDir>/<kbps>k/index.m3u8} and its segments for each rendition. Stops early with a failure when
     * {@code timeout} passes or {@code cancelled} turns true.
     */
    Analysis transcode(Path source, Path outDir, List<Integer> kbps, long durationMs, Duration timeout, BooleanSupplier cancelled)
            throws Failure;

    /** The embedded picture copied out as is, or false when there is none that can be read. */
    boolean extractCover(Path source, Path target);
}
