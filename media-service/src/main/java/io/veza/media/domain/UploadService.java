package io.veza.media.domain;

import io.veza.contracts.ApiException;
import io.veza.contracts.ErrorCode;
import io.veza.contracts.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Accepts an uploaded file into the library: it must really be audio (by its content), its metadata comes from the
 * form first, then its tags, then its name; the original goes to object storage, then the row. Nothing is left
 * behind when a step fails.
 */
@ApplicationScoped
public class UploadService {
    private static final Logger LOG = Logger.getLogger(UploadService.class);
    private static final Pattern LEADING_NUMBER = Pattern.compile("^\\s*(\\d{1,4})");
    public static final int TEXT_MAX = 200;
    public static final int TAGS_MAX = 10;
    public static final int TAG_MAX = 30;

    @Inject
    AudioProbe probe;
    @Inject
    ObjectStore store;
    @Inject
    LibraryFiles files;
    @Inject
    TranscodeQueue worker;
    /** Stores originals while the request thread checks them; as many as uploads being checked at once. */
    private final ExecutorService storage = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "upload-store");
        t.setDaemon(true);
        return t;
    });

    public record Form(String title, String artist, String album, String genre, String category, List<String> tags, boolean isPublic) {
    }

    public LibraryFile accept(String userId, String clientFilename, Path upload, long size, Form form) {
        long started = System.nanoTime();
        AudioProbe.Audio audio = probe.inspect(upload).orElseThrow(UploadService::notAudio);
        String id = Ids.random("file_", 16);
        String key = LibraryFile.originalKey(id);
        // the decode check takes about as long as storing the original: both at once, the object removed if refused
        Future<?> storing = storage.submit(() -> store.putFile(key, upload, "application/octet-stream"));
        long decodedMillis = probe.decodedMillis(upload);
        long checked = System.nanoTime();
        awaitStored(storing, key);
        long stored = System.nanoTime();
        if (decodedMillis < 100) {
            store.delete(key);
            throw notAudio();
        }
        String filename = safeFilename(clientFilename);
        Map<String, String> tags = audio.tags();
        LibraryFile file = new LibraryFile(id, userId, filename,
                first(form.title(), tags.get("title"), stem(filename)), first(form.artist(), tags.get("artist")),
                first(form.album(), tags.get("album")), first(form.genre(), tags.get("genre")), number(tags.get("date")),
                number(tags.get("track")), form.category(), form.tags(), form.isPublic(), size, decodedMillis, audio.format(),
                audio.codec(), audio.bitrate(), audio.sampleRate(), audio.channels(), audio.coverCodec(), LibraryFile.UPLOADED, null, List.of(),
                null, false, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        try {
            files.insertUploaded(file);
        } catch (RuntimeException e) {
            store.delete(key);
            throw e;
        }
        worker.wake();
        LOG.infof("Accepted %s: %d bytes, checked in %d ms, stored %d ms later", id, size, (checked - started) / 1_000_000,
                (stored - checked) / 1_000_000);
        return file;
    }

    private static ApiException notAudio() {
        return new ApiException(ErrorCode.UNSUPPORTED_FORMAT,
                "Not an audio file Veza can play: MP3, AAC/M4A, ALAC, FLAC, WAV, AIFF, Ogg Vorbis or Opus, decided by the content");
    }

    /** Waits for the original to be stored; if it could not be, whatever part of it arrived is removed. */
    private void awaitStored(Future<?> storing, String key) {
        try {
            storing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            storing.cancel(true);
            store.delete(key);
            throw new IllegalStateException("interrupted while storing an upload", e);
        } catch (ExecutionException e) {
            store.delete(key);
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** The name as the user knows it, minus any path and control characters: shown, never used as a storage key. */
    static String safeFilename(String name) {
        String base = name == null ? "" : name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        String clean = base.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        if (clean.isEmpty() || clean.equals(".") || clean.equals("..")) {
            return "upload";
        }
        return clean.length() > 255 ? clean.substring(0, 255) : clean;
    }

    private static String stem(String filename) {
        int dot = filename.lastIndexOf('.');
        return dot > 0 ? filename.substring(0, dot) : filename;
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                String s = v.strip();
                return s.length() > TEXT_MAX ? s.substring(0, TEXT_MAX) : s;
            }
        }
        return null;
    }

    /** "2019-05-01" -> 2019, "3/12" -> 3. */
    private static Integer number(String tag) {
        if (tag == null) {
            return null;
        }
        Matcher m = LEADING_NUMBER.matcher(tag);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }
}
