package io.veza.media.domain;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what an uploaded file really is, by its content (never by its name), in two steps: what its headers say
 * (quick), then how much of it really decodes (a full decode, which takes about as long as storing the file).
 */
public interface AudioProbe {
    /** {@code coverCodec}: the codec of an embedded picture (attached-picture stream), or null. */
    record Audio(String format, String codec, Long bitrate, int sampleRate, int channels, Map<String, String> tags, String coverCodec) {
    }

    /** The audio stream the file declares, or empty if it is not audio in a format Veza accepts. */
    Optional<Audio> inspect(Path file);

    /** How much of the first audio stream decodes, in milliseconds (a truncated file reports what it really has; noise, 0). */
    long decodedMillis(Path file);
}
