package io.veza.media.infra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class PeaksTest {
    /** 16-bit little-endian samples: a ramp whose peak per slice is known, negatives included. */
    static byte[] pcm(int samples) {
        byte[] out = new byte[samples * 2];
        for (int i = 0; i < samples; i++) {
            short v = (short) ((i % 2 == 0 ? 1 : -1) * (i * 32767L / samples));
            out[2 * i] = (byte) v;
            out[2 * i + 1] = (byte) (v >> 8);
        }
        return out;
    }

    /** A pipe that hands out odd-sized pieces, so that samples straddle reads. */
    static InputStream trickling(byte[] data) {
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                return super.read(b, off, Math.min(len, 3));
            }
        };
    }

    @Test
    void peaks_are_the_same_however_the_pipe_splits_the_samples() {
        byte[] data = pcm(40_000);
        FfmpegTranscoder.Peaks whole = new FfmpegTranscoder.Peaks(40_000);
        whole.read(new ByteArrayInputStream(data));
        FfmpegTranscoder.Peaks split = new FfmpegTranscoder.Peaks(40_000);
        split.read(trickling(data));
        float[] peaks = whole.result();
        assertEquals(FfmpegTranscoder.PEAKS, peaks.length);
        assertArrayEquals(peaks, split.result());
        // the ramp rises: the last slice holds the loudest sample, the first the quietest
        assertEquals(1.0f, peaks[peaks.length - 1], 0.01f);
        assertEquals(0.005f, peaks[0], 0.002f);
    }
}
