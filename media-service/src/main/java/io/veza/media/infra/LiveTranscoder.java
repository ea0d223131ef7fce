package io.veza.media.infra;

import io.quarkus.runtime.ShutdownEvent;
import io.veza.media.domain.LiveHls;
import io.veza.media.domain.MediaConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs one ffmpeg per live stream: it pulls the encoder's feed from the ingest and PUTs AAC HLS renditions to
 * this replica's {@code /internal/live} receiver ({@link LiveHls}). A stream's starts and stops run one after
 * the other, so a quick reconnect can never overtake the stop before it; different streams never wait for each other.
 */
@ApplicationScoped
public class LiveTranscoder {
    private static final Logger LOG = Logger.getLogger(LiveTranscoder.class);
    private static final int MAX_RESTARTS = 5;

    @Inject
    MediaConfig config;
    @Inject
    LiveHls hls;

    private record Transcode(Process process, String runToken, int restarts) {
    }

    private final Map<String, Transcode> running = new ConcurrentHashMap<>();
    // what the stream events ask for, updated at once (the stream's queue may still be busy with older work)
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "live-transcoder");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, CompletableFuture<Void>> queues = new ConcurrentHashMap<>();

    /** Runs the task after every task queued before it for the same stream. */
    private void control(String streamId, Runnable task) {
        queues.compute(streamId, (id, tail) -> (tail == null ? CompletableFuture.<Void>completedFuture(null) : tail)
                .thenRunAsync(task, workers)
                .exceptionally(e -> {
                    LOG.errorf(e, "Live transcoder control failed for stream %s", id);
                    return null;
                }))
                .thenRun(() -> queues.computeIfPresent(streamId, (id, tail) -> tail.isDone() ? null : tail));
    }

    public void start(String streamId) {
        wanted.add(streamId);
        control(streamId, () -> launch(streamId, 0));
    }

    /** The encoder left: let ffmpeg flush what it has and exit. */
    public void interrupt(String streamId) {
        wanted.remove(streamId);
        control(streamId, () -> terminate(streamId));
    }

    /** The stream is over: stop transcoding, then close the playlists. */
    public void finish(String streamId) {
        wanted.remove(streamId);
        control(streamId, () -> {
            terminate(streamId);
            hls.finish(streamId);
        });
    }

    public List<String> runningStreams() {
        return new ArrayList<>(running.keySet());
    }

    void onStop(@Observes ShutdownEvent event) {
        running.keySet().forEach(this::terminate);
        workers.shutdown();
    }

    private void launch(String streamId, int restarts) {
        if (running.containsKey(streamId) || !wanted.contains(streamId)) {
            return;
        }
        String token = hls.openRun(streamId);
        List<String> command = command(streamId, token);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Transcode transcode = new Transcode(process, token, restarts);
            running.put(streamId, transcode);
            Thread watcher = new Thread(() -> drainOutput(streamId, transcode), "ffmpeg-" + streamId);
            watcher.setDaemon(true);
            watcher.start();
            LOG.infof("Live transcoder started for stream %s (%s)", streamId, config.liveVariantNames());
        } catch (IOException e) {
            hls.closeRun(token);
            LOG.errorf("Cannot start ffmpeg for stream %s: %s", streamId, e.getMessage());
        }
    }

    private void terminate(String streamId) {
        Transcode transcode = running.remove(streamId);
        if (transcode == null) {
            return;
        }
        Process p = transcode.process();
        try {
            // SIGTERM: ffmpeg writes its last segment and playlist, then exits; while it is blocked reading a
            // feed that went quiet it only gives up the read on a second signal
            p.destroy();
            if (!p.waitFor(1, TimeUnit.SECONDS)) {
                p.destroy();
                if (!p.waitFor(4, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        hls.closeRun(transcode.runToken());
        LOG.infof("Live transcoder stopped for stream %s", streamId);
    }

    /** Logs ffmpeg's complaints and, if it died on its own while still wanted, restarts it (a new run, marked as a discontinuity). */
    private void drainOutput(String streamId, Transcode transcode) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(transcode.process().getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                LOG.warnf("ffmpeg[%s] %s", streamId, line);
            }
        } catch (IOException ignored) {
            // process gone
        }
        int exit;
        try {
            exit = transcode.process().waitFor();
        } catch (InterruptedException e) {
            return;
        }
        if (running.remove(streamId, transcode)) {
            hls.closeRun(transcode.runToken());
            if (transcode.restarts() < MAX_RESTARTS) {
                // usually the encoder left and its publish_interrupted event is on the way: give it time to arrive
                control(streamId, () -> {
                    sleepQuietly(2000);
                    if (wanted.contains(streamId)) {
                        LOG.warnf("ffmpeg for stream %s exited with %d while the stream is live; restarting", streamId, exit);
                        launch(streamId, transcode.restarts() + 1);
                    }
                });
            } else {
                LOG.errorf("ffmpeg for stream %s keeps failing (exit %d); giving up", streamId, exit);
            }
        }
    }

    List<String> command(String streamId, String runToken) {
        List<Integer> bitrates = config.liveBitrates();
        String base = config.selfUrl() + "/internal/live/" + runToken;
        List<String> cmd = new ArrayList<>(List.of(config.ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "warning",
                // a short probe: the first playable playlist comes sooner
                "-fflags", "nobuffer", "-analyzeduration", "1000000", "-probesize", "65536",
                "-rw_timeout", "15000000",
                "-i", config.rtmpPullUrl() + "/" + streamId));
        StringBuilder streamMap = new StringBuilder();
        for (int i = 0; i < bitrates.size(); i++) {
            cmd.addAll(List.of("-map", "0:a:0"));
            streamMap.append(i == 0 ? "" : " ").append("a:").append(i).append(",name:").append(bitrates.get(i)).append('k');
        }
        // no muxing delay: a segment leaves as soon as its last frame is encoded
        cmd.addAll(List.of("-c:a", "aac", "-ac", "2", "-ar", "48000", "-muxdelay", "0", "-muxpreload", "0", "-max_interleave_delta", "0"));
        for (int i = 0; i < bitrates.size(); i++) {
            cmd.addAll(List.of("-b:a:" + i, bitrates.get(i) + "k"));
        }
        cmd.addAll(List.of("-f", "hls", "-hls_time", String.valueOf(config.liveSegmentSeconds()), "-hls_list_size", "6",
                "-hls_segment_type", "mpegts", "-method", "PUT", "-http_persistent", "1",
                "-var_stream_map", streamMap.toString(),
                "-hls_segment_filename", base + "/%v/%05d.ts",
                base + "/%v/index.m3u8"));
        return cmd;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
