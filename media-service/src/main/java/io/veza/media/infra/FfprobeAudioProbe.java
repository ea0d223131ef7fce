package io.veza.media.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.veza.media.domain.AudioProbe;
import io.veza.media.domain.MediaConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * ffprobe says what the container and streams are; a full decode of the first audio stream says how much of it
 * really plays (ffprobe's exit code and header duration accept random bytes and report a truncated file's
 * nominal length). Both run with a time limit.
 */
@ApplicationScoped
public class FfprobeAudioProbe implements AudioProbe {
    private static final Logger LOG = Logger.getLogger(FfprobeAudioProbe.class);
    static final Set<String> FORMATS = Set.of("mp3", "mov", "mp4", "m4a", "flac", "wav", "aiff", "ogg", "aac");
    static final Set<String> CODECS = Set.of("mp3", "aac", "alac", "flac", "vorbis", "opus");
    /** Embedded pictures kept as artwork: what browsers show. */
    static final Set<String> COVERS = Set.of("mjpeg", "png");
    static final List<String> TAGS = List.of("title", "artist", "album", "genre", "date", "track");

    @Inject
    ObjectMapper json;
    @Inject
    MediaConfig config;

    @Override
    public Optional<Audio> inspect(Path file) {
        try {
            String out = run(60, "ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", file.toString());
            if (out == null) {
                return Optional.empty();
            }
            JsonNode root = json.readTree(out);
            JsonNode format = root.path("format");
            String formatName = format.path("format_name").asText("");
            boolean knownFormat = List.of(formatName.split(",")).stream().anyMatch(FORMATS::contains);
            JsonNode audio = null;
            String coverCodec = null;
            for (JsonNode s : root.path("streams")) {
                if ("audio".equals(s.path("codec_type").asText()) && audio == null) {
                    audio = s;
                } else if (s.path("disposition").path("attached_pic").asInt() == 1 && COVERS.contains(s.path("codec_name").asText())) {
                    coverCodec = s.path("codec_name").asText();
                }
            }
            if (!knownFormat || audio == null || format.path("probe_score").asInt(0) < 25) {
                return Optional.empty();
            }
            String codec = audio.path("codec_name").asText("");
            int sampleRate = audio.path("sample_rate").asInt(0);
            int channels = audio.path("channels").asInt(0);
            if (!(CODECS.contains(codec) || codec.startsWith("pcm_")) || sampleRate <= 0 || channels <= 0) {
                return Optional.empty();
            }
            // the audio stream's own rate: the container's also counts embedded pictures
            JsonNode rate = audio.hasNonNull("bit_rate") ? audio.path("bit_rate") : format.path("bit_rate");
            Long bitrate = rate.isMissingNode() || rate.isNull() ? null : rate.asLong();
            return Optional.of(new Audio(formatName, codec, bitrate, sampleRate, channels, tags(format.path("tags"), audio.path("tags")),
                    coverCodec));
        } catch (IOException e) {
            LOG.warnf("Could not probe an upload: %s", e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public long decodedMillis(Path file) {
        String progress;
        try {
            progress = run(300, config.ffmpeg(), "-v", "quiet", "-nostdin", "-nostats", "-i", file.toString(),
                    "-map", "0:a:0", "-f", "null", "-progress", "pipe:1", "-");
        } catch (IOException e) {
            LOG.warnf("Could not decode an upload: %s", e.getMessage());
            return 0;
        }
        long micros = 0;
        if (progress != null) {
            for (String line : progress.split("\n")) {
                if (line.startsWith("out_time_us=")) {
                    try {
                        micros = Math.max(micros, Long.parseLong(line.substring(12).strip()));
                    } catch (NumberFormatException ignored) {
                        // "N/A" before the first frame
                    }
                }
            }
        }
        return micros / 1000;
    }

    /** Tags by lower-case name, container tags first; text that did not decode to valid Unicode is dropped. */
    /** Without control characters, and UTF-8 that a tagger wrote into a Latin-1 frame ("CafÃ©") read as the UTF-8 it is. */
    static String readable(String tag) {
        String value = tag.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        if (value.chars().allMatch(c -> c < 0x100) && value.chars().anyMatch(c -> c >= 0x80)) {
            try {
                return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(value.getBytes(StandardCharsets.ISO_8859_1))).toString();
            } catch (CharacterCodingException e) {
                return value; // real Latin-1: "Café" as E9 is not UTF-8
            }
        }
        return value;
    }

    private static Map<String, String> tags(JsonNode... sources) {
        Map<String, String> tags = new HashMap<>();
        for (JsonNode source : sources) {
            source.fields().forEachRemaining(e -> {
                String name = e.getKey().toLowerCase(Locale.ROOT);
                String value = readable(e.getValue().asText(""));
                // text that did not decode (U+FFFD) is dropped rather than shown garbled
                if (TAGS.contains(name) && !value.isEmpty() && value.indexOf('\uFFFD') < 0 && !tags.containsKey(name)) {
                    tags.put(name, value);
                }
            });
        }
        return tags;
    }

    /** Output of the command, or null when it did not finish in time. */
    private static String run(int timeoutSeconds, String... command) throws IOException {
        Path out = Files.createTempFile("probe-", ".out");
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(out.toFile()).start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return null;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
