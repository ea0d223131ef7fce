package io.veza.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real ffmpeg and ffprobe, to make test media and to check what the platform serves. */
public final class Ffmpeg {
    private Ffmpeg() {
    }

    /** Runs ffmpeg (quiet, overwriting) and fails the test with its output when it fails. */
    public static void make(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-nostdin"));
        cmd.addAll(List.of(args));
        String out = run(cmd, 120);
        if (out == null) {
            throw new AssertionError("ffmpeg failed: " + String.join(" ", args));
        }
    }

    /** One line per stream of {@code input} (a file or URL): {@code codec_name,codec_type[,sample_rate,channels]}. */
    public static List<String> streams(String input) {
        String out = run(List.of("ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name,sample_rate,channels",
                "-of", "csv=p=1", input), 120);
        if (out == null) {
            throw new AssertionError("ffprobe could not read " + input);
        }
        // HLS inputs list their streams twice, under the program and on their own: keep the latter
        return out.lines().filter(l -> l.startsWith("stream,")).map(l -> l.substring(7)).toList();
    }

    /** Seconds of audio that decode from {@code input}, measured by a full decode. */
    public static double decodedSeconds(String input) {
        String out = run(List.of("ffmpeg", "-v", "quiet", "-nostdin", "-i", input, "-map", "0:a:0", "-f", "null", "-progress", "pipe:1", "-"), 120);
        if (out == null) {
            throw new AssertionError("ffmpeg could not decode " + input);
        }
        long micros = 0;
        for (String line : out.split("\n")) {
            if (line.startsWith("out_time_us=") && !line.endsWith("N/A")) {
                micros = Math.max(micros, Long.parseLong(line.substring(12).strip()));
            }
        }
        return micros / 1e6;
    }

    /** Output of a successful run, or null. */
    private static String run(List<String> cmd, int timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
