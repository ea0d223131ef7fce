package io.veza.media.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One live rendition's media playlist, as listeners see it. It keeps every segment of the stream (an EVENT
 * playlist: media sequence stays 0, so it is monotonic by construction and the stream remains playable as a
 * replay), marks a discontinuity where an encoder reconnected, and is closed with ENDLIST when the stream stops.
 */
public final class LivePlaylist {
    public record Segment(String uri, double duration, boolean discontinuity) {
    }

    private final List<Segment> segments = new ArrayList<>();
    private boolean ended;

    public synchronized void add(String uri, double duration, boolean discontinuity) {
        segments.add(new Segment(uri, duration, discontinuity && !segments.isEmpty()));
    }

    public synchronized boolean contains(String uri) {
        return segments.stream().anyMatch(s -> s.uri().equals(uri));
    }

    public synchronized void end() {
        ended = true;
    }

    public synchronized boolean ended() {
        return ended;
    }

    /** Segments are named {@code r<run>_<file>}: the highest run index seen, or -1. */
    public synchronized int lastRunIndex() {
        int last = -1;
        for (Segment s : segments) {
            int underscore = s.uri().indexOf('_');
            if (s.uri().startsWith("r") && underscore > 1) {
                last = Math.max(last, Integer.parseInt(s.uri().substring(1, underscore)));
            }
        }
        return last;
    }

    public synchronized int size() {
        return segments.size();
    }

    public synchronized String render(int segmentSeconds) {
        long target = segmentSeconds;
        for (Segment s : segments) {
            target = Math.max(target, Math.round(s.duration()));
        }
        StringBuilder m3u8 = new StringBuilder(128 + segments.size() * 40)
                .append("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-PLAYLIST-TYPE:EVENT\n")
                .append("#EXT-X-TARGETDURATION:").append(target).append('\n')
                .append("#EXT-X-MEDIA-SEQUENCE:0\n");
        for (Segment s : segments) {
            if (s.discontinuity()) {
                m3u8.append("#EXT-X-DISCONTINUITY\n");
            }
            m3u8.append("#EXTINF:").append(String.format(Locale.ROOT, "%.3f", s.duration())).append(",\n").append(s.uri()).append('\n');
        }
        if (ended) {
            m3u8.append("#EXT-X-ENDLIST\n");
        }
        return m3u8.toString();
    }

    /** Reads back a playlist written by {@link #render}, so that another replica can continue the stream. */
    public static LivePlaylist parse(String m3u8) {
        LivePlaylist playlist = new LivePlaylist();
        double duration = 0;
        boolean discontinuity = false;
        for (String line : m3u8.split("\n")) {
            line = line.strip();
            if (line.startsWith("#EXTINF:")) {
                duration = Double.parseDouble(line.substring(8, line.indexOf(',') < 0 ? line.length() : line.indexOf(',')));
            } else if (line.equals("#EXT-X-DISCONTINUITY")) {
                discontinuity = true;
            } else if (line.equals("#EXT-X-ENDLIST")) {
                playlist.ended = true;
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                playlist.segments.add(new Segment(line, duration, discontinuity));
                discontinuity = false;
            }
        }
        return playlist;
    }

    /** The segments listed by an ffmpeg HLS playlist: (file name, duration), in order. */
    public static List<Segment> segmentsOf(String ffmpegPlaylist) {
        List<Segment> found = new ArrayList<>();
        double duration = -1;
        for (String line : ffmpegPlaylist.split("\n")) {
            line = line.strip();
            if (line.startsWith("#EXTINF:")) {
                int comma = line.indexOf(',');
                duration = Double.parseDouble(line.substring(8, comma < 0 ? line.length() : comma));
            } else if (!line.isEmpty() && !line.startsWith("#") && duration >= 0) {
                found.add(new Segment(line.substring(line.lastIndexOf('/') + 1), duration, false));
                duration = -1;
            }
        }
        return found;
    }
}
