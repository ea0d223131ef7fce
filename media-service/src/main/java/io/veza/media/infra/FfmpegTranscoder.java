package io.veza.media.infra;

import io.veza.media.domain.MediaConfig;
import io.veza.media.domain.Transcoder;
import io.veza.media.domain.VodHls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * One ffmpeg run per file: the first audio stream, resampled once to 44.1 kHz stereo, is encoded into every rendition
 * and, on a side branch, measured (EBU R128) and decimated to 8 kHz mono PCM on stdout, from which the waveform
 * peaks are taken. Pictures, subtitles and data streams are never mapped. ffmpeg runs with a time limit, at normal
 * priority while this replica transcodes no live stream, niced as soon as it does (live comes first).
 */
@ApplicationScoped
public class FfmpegTranscoder implements Transcoder {
    private static final Logger LOG = Logger.getLogger(FfmpegTranscoder.class);
    private static final Pattern INTEGRATED = Pattern.compile("I:\\s+(-?[0-9.]+|-inf) LUFS");
    private static final int PEAK_RATE = 8000;
    static final int PEAKS = 200;

    @Inject
    MediaConfig config;
    @Inject
    LiveTranscoder live;

    @Override
    public Analysis transcode(Path source, Path outDir, List<Integer> kbps, long durationMs, Duration timeout, BooleanSupplier cancelled)
            throws Failure {
        List<String> cmd = new ArrayList<>(List.of(config.ffmpeg(), "-hide_banner", "-nostats", "-nostdin", "-y",
                "-i", source.toString()));
        StringBuilder graph = new StringBuilder("[0:a:0]aresample=44100,aformat=channel_layouts=stereo,asplit=").append(kbps.size() + 1);
        for (int i = 0; i < kbps.size(); i++) {
            graph.append("[a").append(i).append(']');
        }
        graph.append("[m];[m]ebur128=framelog=verbose,aresample=").append(PEAK_RATE).append(",aformat=sample_fmts=s16:channel_layouts=mono[w]");
        cmd.addAll(List.of("-filter_complex", graph.toString()));
        StringBuilder streamMap = new StringBuilder();
        for (int i = 0; i < kbps.size(); i++) {
            cmd.addAll(List.of("-map", "[a" + i + "]", "-b:a:" + i, kbps.get(i) + "k"));
            streamMap.append(i == 0 ? "" : " ").append("a:").append(i).append(",name:").append(VodHls.variantName(kbps.get(i)));
        }
        cmd.addAll(List.of("-c:a", "aac", "-f", "hls", "-hls_time", "6", "-hls_playlist_type", "vod", "-hls_flags", "independent_segments+temp_file",
                "-hls_segment_filename", outDir.resolve("%v/seg_%04d.ts").toString(), "-var_stream_map", streamMap.toString(),
                outDir.resolve("%v/" + VodHls.VARIANT).toString(), "-map", "[w]", "-f", "s16le", "pipe:1"));
        Path log = outDir.resolve("ffmpeg.log");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
            Peaks peaks = new Peaks(durationMs * PEAK_RATE / 1000);
            Thread reader = new Thread(() -> peaks.read(p.getInputStream()), "waveform-reader");
            reader.setDaemon(true);
            reader.start();
            long deadline = System.nanoTime() + timeout.toNanos();
            boolean yielded = false;
            while (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
                if (!yielded && !live.runningStreams().isEmpty()) {
                    yielded = yieldTo(p);
                }
                if (cancelled.getAsBoolean() || System.nanoTime() > deadline) {
                    p.destroyForcibly().waitFor();
                    throw new Failure(cancelled.getAsBoolean() ? "transcoding was cancelled"
                            : "transcoding took longer than " + timeout.toSeconds() + " s");
                }
            }
            reader.join(5000);
            String stderr = Files.readString(log, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new Failure("ffmpeg could not transcode the file: " + lastLine(stderr, source, outDir));
            }
            return new Analysis(integratedLoudness(stderr), peaks.result());
        } catch (IOException e) {
            throw new Failure("ffmpeg could not be run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("transcoding was interrupted");
        }
    }

    /** Lowers the priority of a running ffmpeg (one way: raising it back needs privileges a service does not have). */
    private static boolean yieldTo(Process ffmpeg) {
        try {
            Process renice = new ProcessBuilder("renice", "-n", "10", "-p", String.valueOf(ffmpeg.pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (renice.waitFor(5, TimeUnit.SECONDS) && renice.exitValue() == 0) {
                LOG.debugf("Library transcoding (pid %d) yields to live streams", ffmpeg.pid());
            }
        } catch (IOException e) {
            LOG.warnf("Could not lower the priority of library transcoding: %s", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;  // tried once: not again every 200 ms
    }

    @Override
    public boolean extractCover(Path source, Path target) {
        try {
            Process p = new ProcessBuilder(config.ffmpeg(), "-v", "error", "-nostdin", "-y", "-i", source.toString(), "-map", "0:v:0",
                    "-c", "copy", "-frames:v", "1", "-f", "image2", target.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0 && Files.size(target) > 0;
        } catch (IOException e) {
            LOG.warnf("Could not extract cover art: %s", e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static double integratedLoudness(String stderr) {
        Matcher m = INTEGRATED.matcher(stderr);
        double lufs = -70;
        while (m.find()) {
            // the summary comes last; silence measures -70 (the gate) or -inf
            lufs = m.group(1).equals("-inf") ? -70 : Double.parseDouble(m.group(1));
        }
        return lufs;
    }

    /** ffmpeg's last word, without server paths: the input becomes "the original", output paths go. */
    private static String lastLine(String stderr, Path source, Path outDir) {
        String[] lines = stderr.strip().split("\n");
        String last = lines.length == 0 ? "" : lines[lines.length - 1].replace(source.toString(), "the original")
                .replace(outDir.toString(), "").strip();
        return last.length() > 200 ? last.substring(0, 200) : last;
    }

    /** Peak absolute amplitude per slice of the file, from a stream of 16-bit little-endian mono samples. */
    static final class Peaks {
        private final long perBucket;
        private final List<Float> buckets = new ArrayList<>();
        private int max;
        private long inBucket;

        Peaks(long expectedSamples) {
            this.perBucket = Math.max(1, expectedSamples / PEAKS);
        }

        void read(InputStream pcm) {
            byte[] buffer = new byte[64 * 1024];
            int carry = -1;  // the low byte of a sample split across two reads
            try (InputStream in = pcm) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    int i = 0;
                    if (carry >= 0) {
                        add(Math.abs((short) ((buffer[0] << 8) | carry)));
                        carry = -1;
                        i = 1;
                    }
                    for (; i + 1 < n; i += 2) {
                        add(Math.abs((short) ((buffer[i + 1] << 8) | (buffer[i] & 0xff))));
                    }
                    if (i < n) {
                        carry = buffer[i] & 0xff;
                    }
                }
            } catch (IOException e) {
                // ffmpeg was stopped; the result is not used then
            }
        }

        void add(int amplitude) {
            max = Math.max(max, amplitude);
            if (++inBucket == perBucket) {
                buckets.add(max / 32768f);
                max = 0;
                inBucket = 0;
            }
        }

        /** Exactly {@link #PEAKS} values (fewer only for files shorter than that many samples). */
        float[] result() {
            if (inBucket > 0) {
                buckets.add(max / 32768f);
            }
            int n = Math.min(PEAKS, buckets.size());
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                int from = (int) ((long) i * buckets.size() / n);
                int to = Math.max(from + 1, (int) ((long) (i + 1) * buckets.size() / n));
                float peak = 0;
                for (int j = from; j < to; j++) {
                    peak = Math.max(peak, buckets.get(j));
                }
                out[i] = Math.round(peak * 1000) / 1000f;
            }
            return out;
        }
    }
}
