package io.veza.media.domain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The HLS ladder of a library file: which renditions to make, and the master playlist that lists them. */
public final class VodHls {
    public static final String PLAYLIST_TYPE = LiveHls.PLAYLIST_TYPE;
    public static final String MASTER = "master.m3u8";
    public static final String VARIANT = "index.m3u8";
    private static final Set<String> LOSSLESS = Set.of("flac", "alac");
    private static final int MIN_KBPS = 16;

    private VodHls() {
    }

    /**
     * The configured ladder, without rungs above the source's quality (a lossy source's bitrate; lossless sources cap
     * nothing). A source below the top rung adds its own bitrate as the top; with fewer than three rungs left, the
     * ladder becomes one, two and three thirds of the source's bitrate.
     */
    public static List<Integer> renditionsFor(List<Integer> ladder, String codec, Long sourceBitsPerSecond) {
        boolean lossless = LOSSLESS.contains(codec) || codec.startsWith("pcm_");
        int top = ladder.stream().mapToInt(Integer::intValue).max().orElseThrow();
        int cap = lossless || sourceBitsPerSecond == null || sourceBitsPerSecond <= 0 ? top
                : (int) Math.min(top, sourceBitsPerSecond / 1000 / 8 * 8);
        TreeSet<Integer> rungs = new TreeSet<>();
        for (int kbps : ladder) {
            if (kbps <= cap) {
                rungs.add(kbps);
            }
        }
        rungs.add(cap);
        if (rungs.size() < 3) {
            int third = cap / 3 >= MIN_KBPS ? cap / 3 / 8 * 8 : Math.max(1, cap / 3);
            rungs.clear();
            rungs.addAll(List.of(third, 2 * third, cap));
        }
        return List.copyOf(rungs);
    }

    public static String variantName(int kbps) {
        return kbps + "k";
    }

    /** Peak and average bit rate of a variant, measured on its segments as written (container overhead included). */
    public record Measured(int kbps, long peakBps, long averageBps) {
    }

    public static Measured measure(int kbps, Path variantDir) {
        try {
            List<String> lines = Files.readAllLines(variantDir.resolve(VARIANT));
            double totalSeconds = 0;
            long totalBytes = 0;
            double peak = 0;
            double duration = 0;
            for (String line : lines) {
                if (line.startsWith("#EXTINF:")) {
                    duration = Double.parseDouble(line.substring(8, line.indexOf(',') < 0 ? line.length() : line.indexOf(',')));
                } else if (!line.isBlank() && !line.startsWith("#")) {
                    long bytes = Files.size(variantDir.resolve(line.strip()));
                    totalBytes += bytes;
                    totalSeconds += duration;
                    // a last, very short segment says little about the rate a player needs
                    if (duration >= 1) {
                        peak = Math.max(peak, bytes * 8 / duration);
                    }
                }
            }
            long average = totalSeconds > 0 ? Math.round(totalBytes * 8 / totalSeconds) : kbps * 1000L;
            return new Measured(kbps, Math.max(Math.round(Math.ceil(peak)), average), average);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** AAC-LC stereo renditions, lowest first. */
    public static String master(List<Measured> variants) {
        StringBuilder m3u8 = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        List<Measured> sorted = new ArrayList<>(variants);
        sorted.sort((a, b) -> Integer.compare(a.kbps(), b.kbps()));
        for (Measured v : sorted) {
            m3u8.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(v.peakBps()).append(",AVERAGE-BANDWIDTH=").append(v.averageBps())
                    .append(",CODECS=\"mp4a.40.2\"\n").append(variantName(v.kbps())).append('/').append(VARIANT).append('\n');
        }
        return m3u8.toString();
    }
}
