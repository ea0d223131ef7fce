package io.veza.media.domain;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Reads what an uploaded file really is, by its content (never by its name). */
public interface AudioProbe {
    /** {@code coverCodec}: the codec of an embedded picture (attached-picture stream), or null. */
    record Audio(String format, String codec, Long bitrate, int sampleRate, int channels, long decodedMillis, Map<String, String> tags,
            String coverCodec) {
    }

    /** The audio found in the file, or empty if it is not audio in a format Veza accepts. */
    Optional<Audio> probe(Path file);
}
