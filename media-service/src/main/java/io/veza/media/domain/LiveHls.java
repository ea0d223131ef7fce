package io.veza.media.domain;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Receives what a live transcoder writes (segments, then its playlist) and publishes listener-facing HLS to object
 * storage: each segment is stored the moment it arrives, and each rendition's playlist is rewritten to list only
 * stored segments, across encoder reconnects. Each transcoder run gets an unguessable token that authorises its
 * writes, so nothing but our own ffmpeg can write into a stream.
 */
@ApplicationScoped
public class LiveHls {
    private static final Logger LOG = Logger.getLogger(LiveHls.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    public static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";

    @Inject
    ObjectStore store;
    @Inject
    MediaConfig config;

    private record Run(String streamId, int index) {
    }

    private static final class State {
        final Map<String, LivePlaylist> variants = new HashMap<>();
        final Set<String> stored = new HashSet<>();
        final Set<String> runVariantsStarted = new HashSet<>();
        int runs;
        boolean masterWritten;
        volatile long lastSegmentNanos;
    }

    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final Map<String, State> streams = new ConcurrentHashMap<>();
    // store times of the most recent segments: /health reports what is happening now, not since boot
    private final long[] recentStoreNanos = new long[32];
    private final AtomicLong segmentsStored = new AtomicLong();

    public static String prefix(String streamId) {
        return "live/" + streamId + "/";
    }

    /** A new transcoder run for the stream; its token is the capability to write into it. */
    public String openRun(String streamId) {
        State state = state(streamId);
        String token = HexFormat.of().formatHex(randomBytes());
        synchronized (state) {
            runs.put(token, new Run(streamId, state.runs++));
        }
        return token;
    }

    public void closeRun(String token) {
        runs.remove(token);
    }

    /** Stores a segment written by the run; false if the run or the names are not ours. */
    public boolean segment(String token, String variant, String file, byte[] content) {
        Run run = runs.get(token);
        if (run == null || !config.liveVariantNames().contains(variant) || !file.endsWith(".ts") || !NAME.matcher(file.substring(0, file.length() - 3)).matches()) {
            return false;
        }
        long start = System.nanoTime();
        String uri = "r" + run.index() + "_" + file;
        store.put(prefix(run.streamId()) + variant + "/" + uri, content, "video/mp2t");
        State state = state(run.streamId());
        synchronized (state) {
            state.stored.add(variant + "/" + uri);
            state.lastSegmentNanos = System.nanoTime();
        }
        long n = segmentsStored.getAndIncrement();
        recentStoreNanos[(int) (n % recentStoreNanos.length)] = System.nanoTime() - start;
        return true;
    }

    /** Reads the run's own playlist for this rendition and publishes ours with the newly stored segments. */
    public boolean playlist(String token, String variant, String ffmpegPlaylist) {
        Run run = runs.get(token);
        if (run == null || !config.liveVariantNames().contains(variant)) {
            return false;
        }
        State state = state(run.streamId());
        String rendered = null;
        boolean writeMaster = false;
        synchronized (state) {
            LivePlaylist playlist = state.variants.computeIfAbsent(variant, v -> new LivePlaylist());
            if (playlist.ended()) {
                return true;
            }
            boolean changed = false;
            for (LivePlaylist.Segment s : LivePlaylist.segmentsOf(ffmpegPlaylist)) {
                String uri = "r" + run.index() + "_" + s.uri();
                if (state.stored.contains(variant + "/" + uri) && !playlist.contains(uri)) {
                    boolean firstOfRun = state.runVariantsStarted.add(run.index() + "/" + variant);
                    playlist.add(uri, s.duration(), firstOfRun);
                    changed = true;
                }
            }
            if (changed) {
                rendered = playlist.render(config.liveSegmentSeconds());
                writeMaster = !state.masterWritten;
                state.masterWritten = true;
            }
        }
        if (rendered != null) {
            store.put(prefix(run.streamId()) + variant + "/index.m3u8", rendered.getBytes(StandardCharsets.UTF_8), PLAYLIST_TYPE);
        }
        if (writeMaster) {
            store.put(prefix(run.streamId()) + "master.m3u8", master().getBytes(StandardCharsets.UTF_8), PLAYLIST_TYPE);
            LOG.infof("Stream %s is playable", run.streamId());
        }
        return true;
    }

    /** Closes every rendition's playlist: the recording stays playable as a replay. */
    public void finish(String streamId) {
        State state = state(streamId);
        Map<String, String> rendered = new HashMap<>();
        synchronized (state) {
            for (var e : state.variants.entrySet()) {
                if (!e.getValue().ended() && e.getValue().size() > 0) {
                    e.getValue().end();
                    rendered.put(e.getKey(), e.getValue().render(config.liveSegmentSeconds()));
                }
            }
        }
        rendered.forEach((variant, m3u8) -> store.put(prefix(streamId) + variant + "/index.m3u8", m3u8.getBytes(StandardCharsets.UTF_8), PLAYLIST_TYPE));
        streams.remove(streamId);
    }

    /** The master playlist: one AAC rendition per configured bitrate, with what a player needs to choose. */
    public String master() {
        StringBuilder m3u8 = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        for (int kbps : config.liveBitrates()) {
            // MPEG-TS packaging adds roughly 10% to the audio bitrate
            long bandwidth = Math.round(kbps * 1000 * 1.1);
            m3u8.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(bandwidth).append(",AVERAGE-BANDWIDTH=").append(kbps * 1000L)
                    .append(",CODECS=\"mp4a.40.2\"\n").append(kbps).append("k/index.m3u8\n");
        }
        return m3u8.toString();
    }

    public record Stats(int liveStreams, long segmentsStored, double averageStoreMs, long oldestLastSegmentAgeMs) {
    }

    public Stats stats(List<String> running) {
        long now = System.nanoTime();
        long oldest = 0;
        for (String id : running) {
            State s = streams.get(id);
            if (s != null && s.lastSegmentNanos > 0) {
                oldest = Math.max(oldest, (now - s.lastSegmentNanos) / 1_000_000);
            }
        }
        long n = Math.min(segmentsStored.get(), recentStoreNanos.length);
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += recentStoreNanos[i];
        }
        return new Stats(streams.size(), segmentsStored.get(), n == 0 ? 0 : total / 1e6 / n, oldest);
    }

    private State state(String streamId) {
        return streams.computeIfAbsent(streamId, this::load);
    }

    /** Continues a stream another replica (or an earlier process) started, from the playlists it published. */
    private State load(String streamId) {
        State state = new State();
        for (String variant : config.liveVariantNames()) {
            Optional<String> published = store.getText(prefix(streamId) + variant + "/index.m3u8");
            published.map(LivePlaylist::parse).ifPresent(p -> {
                state.variants.put(variant, p);
                state.masterWritten = true;
                state.runs = Math.max(state.runs, p.lastRunIndex() + 1);
            });
        }
        return state;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
