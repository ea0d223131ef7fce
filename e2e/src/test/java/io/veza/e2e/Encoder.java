package io.veza.e2e;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A real encoder: ffmpeg pushing a live tone (optionally with video) to an RTMP publish URL, in real time. */
final class Encoder implements AutoCloseable {
    private final Process process;

    private Encoder(Process process) {
        this.process = process;
    }

    static Encoder audio(String rtmpUrl, int seconds) throws IOException {
        return start(rtmpUrl, seconds, false);
    }

    static Encoder audioAndVideo(String rtmpUrl, int seconds) throws IOException {
        return start(rtmpUrl, seconds, true);
    }

    private static Encoder start(String rtmpUrl, int seconds, boolean video) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=" + seconds));
        if (video) {
            cmd.addAll(List.of("-f", "lavfi", "-i", "testsrc=size=320x240:rate=15:duration=" + seconds, "-c:v", "flv", "-b:v", "300k"));
        }
        cmd.addAll(List.of("-c:a", "aac", "-b:a", "128k", "-f", "flv", rtmpUrl));
        return new Encoder(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Like an encoder losing its connection. */
    void drop() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        drop();
    }
}
