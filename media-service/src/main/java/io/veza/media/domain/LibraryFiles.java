package io.veza.media.domain;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.veza.contracts.MediaEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The files table. Every change that others must hear about commits together with its event (outbox). */
@ApplicationScoped
public class LibraryFiles {
    private static final java.util.regex.Pattern FILE_ID = java.util.regex.Pattern.compile("file_[A-Za-z0-9]{1,64}");
    static final String COLUMNS = "id, user_id, filename, title, artist, album, genre, year, track, category, tags, "
            + "is_public, size, duration_ms, format, codec, bitrate, sample_rate, channels, cover_codec, status, failure_reason, "
            + "renditions, loudness_lufs, has_artwork, created_at";

    @Inject
    AgroalDataSource db;
    @Inject
    Outbox outbox;

    public record Page(List<LibraryFile> files, long total) {
    }

    /** What a PATCH may change; null fields stay as they are. */
    public record Changes(String title, String artist, String album, String category, List<String> tags, Boolean isPublic) {
    }

    /** Stores an accepted upload, queues its transcoding and announces it, all or nothing. */
    public void insertUploaded(LibraryFile f) {
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = db.getConnection()) {
                try (PreparedStatement s = c.prepareStatement("insert into files (" + COLUMNS + ", search_text) values ("
                        + "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                    bind(s, f.id(), f.userId(), f.filename(), f.title(), f.artist(), f.album(), f.genre(), f.year(), f.track(),
                            f.category(), c.createArrayOf("text", f.tags().toArray()), f.isPublic(), f.size(), f.durationMs(), f.format(),
                            f.codec(), f.bitrate(), f.sampleRate(), f.channels(), f.coverCodec(), f.status(), f.failureReason(),
                            c.createArrayOf("integer", f.renditions().toArray()), f.loudnessLufs(), f.hasArtwork(),
                            Timestamp.from(f.createdAt()), searchable(f.title(), f.artist()));
                    s.executeUpdate();
                }
                try (PreparedStatement s = c.prepareStatement("insert into transcode_jobs (file_id) values (?)")) {
                    s.setString(1, f.id());
                    s.executeUpdate();
                }
                outbox.add(c, MediaEvents.FILE_UPLOADED, f.id(),
                        outbox.data(f, f.status()).put("size", f.size()).put("duration", Math.round(f.durationMs() / 1000.0)));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    public Optional<LibraryFile> find(String id) {
        if (id == null || !FILE_ID.matcher(id).matches()) {
            return Optional.empty();  // not an id we make (PostgreSQL would refuse a NUL in it with an error)
        }
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("select " + COLUMNS + " from files where id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Peaks from 0 to 1 across the file, empty until it is transcoded. */
    public Optional<float[]> waveform(String id) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("select waveform from files where id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next() || rs.getArray(1) == null) {
                    return Optional.empty();
                }
                Float[] boxed = (Float[]) rs.getArray(1).getArray();
                float[] peaks = new float[boxed.length];
                for (int i = 0; i < boxed.length; i++) {
                    peaks[i] = boxed[i];
                }
                return Optional.of(peaks);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public LibraryFile update(String id, Changes changes) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = db.getConnection()) {
                LibraryFile old = lockedRow(c, id).orElseThrow();
                String title = changes.title() != null ? changes.title() : old.title();
                String artist = changes.artist() != null ? emptyToNull(changes.artist()) : old.artist();
                try (PreparedStatement s = c.prepareStatement("update files set title = ?, artist = ?, album = ?, category = ?, tags = ?, "
                        + "is_public = ?, search_text = ? where id = ?")) {
                    bind(s, title, artist, changes.album() != null ? emptyToNull(changes.album()) : old.album(),
                            changes.category() != null ? emptyToNull(changes.category()) : old.category(),
                            c.createArrayOf("text", (changes.tags() != null ? changes.tags() : old.tags()).toArray()),
                            changes.isPublic() != null ? changes.isPublic() : old.isPublic(), searchable(title, artist), id);
                    s.executeUpdate();
                }
                return lockedRow(c, id).orElseThrow();
            }
        });
    }

    /** Removes the row (its job goes with it) and announces it; the caller removes the objects. */
    public Optional<LibraryFile> delete(String id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = db.getConnection()) {
                Optional<LibraryFile> file = lockedRow(c, id);
                if (file.isPresent()) {
                    try (PreparedStatement s = c.prepareStatement("delete from files where id = ?")) {
                        s.setString(1, id);
                        s.executeUpdate();
                    }
                    outbox.add(c, MediaEvents.FILE_DELETED, id, outbox.data(file.get(), "deleted"));
                }
                return file;
            }
        });
    }

    static Optional<LibraryFile> lockedRow(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select " + COLUMNS + " from files where id = ? for update")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** How close a query must come to a word run of title and artist to match despite typos (pg_trgm word similarity). */
    static final double TYPO_TOLERANCE = 0.45;

    /**
     * One page of files, newest first: the owner's ({@code ownerId} set) or the public catalogue. {@code search} matches
     * title and artist, case- and accent-insensitive ({@code %} and {@code _} are just characters): files containing
     * it come first, newest first, then those that match despite small typos, closest first.
     */
    public Page list(String ownerId, String category, String search, int page, int limit) {
        StringBuilder where = new StringBuilder(ownerId != null ? "user_id = ?" : "is_public");
        List<Object> params = new ArrayList<>();
        if (ownerId != null) {
            params.add(ownerId);
        }
        if (category != null) {
            where.append(" and category = ?");
            params.add(category);
        }
        String order = "created_at desc, id";
        List<Object> orderParams = new ArrayList<>();
        if (search != null && !search.isBlank()) {
            String query = searchable(search.strip(), null);
            where.append(" and (search_text like ? escape '\\' or ? <% search_text)");
            params.add("%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            params.add(query);
            order = "strpos(search_text, ?) > 0 desc, word_similarity(?, search_text) desc, " + order;
            orderParams.add(query);
            orderParams.add(query);
        }
        String whereClause = where.toString();
        String orderClause = order;
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = db.getConnection();
                    PreparedStatement tolerance = c.prepareStatement("select set_config('pg_trgm.word_similarity_threshold', ?, true)");
                    PreparedStatement count = c.prepareStatement("select count(*) from files where " + whereClause);
                    PreparedStatement select = c.prepareStatement("select " + COLUMNS + " from files where " + whereClause
                            + " order by " + orderClause + " limit ? offset ?")) {
                tolerance.setString(1, String.valueOf(TYPO_TOLERANCE));
                tolerance.execute();
                List<Object> selectParams = new ArrayList<>(params);
                selectParams.addAll(orderParams);
                selectParams.add(limit);
                selectParams.add((long) (page - 1) * limit);
                bind(count, params.toArray());
                bind(select, selectParams.toArray());
                long total;
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
                List<LibraryFile> found = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        found.add(read(rs));
                    }
                }
                return new Page(found, total);
            }
        });
    }

    /** Lower case without accents: "Élodie Ørsted" and "elodie orsted" match. */
    static String searchable(String title, String artist) {
        String text = artist == null ? title : title + " " + artist;
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
        // letters that carry their mark in themselves, so that decomposition leaves them as they are
        StringBuilder out = new StringBuilder(folded.length());
        for (int i = 0; i < folded.length(); i++) {
            char ch = folded.charAt(i);
            switch (ch) {
                case 'ø' -> out.append('o');
                case 'æ' -> out.append("ae");
                case 'œ' -> out.append("oe");
                case 'ß' -> out.append("ss");
                case 'ł' -> out.append('l');
                case 'đ', 'ð' -> out.append('d');
                case 'þ' -> out.append("th");
                case 'ı' -> out.append('i');
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    static void bind(PreparedStatement s, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                s.setNull(i + 1, Types.NULL);
            } else {
                s.setObject(i + 1, values[i]);
            }
        }
    }

    static LibraryFile read(ResultSet rs) throws SQLException {
        Array tags = rs.getArray("tags");
        Array renditions = rs.getArray("renditions");
        return new LibraryFile(rs.getString("id"), rs.getString("user_id"), rs.getString("filename"), rs.getString("title"),
                rs.getString("artist"), rs.getString("album"), rs.getString("genre"), (Integer) rs.getObject("year"),
                (Integer) rs.getObject("track"), rs.getString("category"), tags == null ? List.of() : Arrays.asList((String[]) tags.getArray()),
                rs.getBoolean("is_public"), rs.getLong("size"), rs.getLong("duration_ms"), rs.getString("format"), rs.getString("codec"),
                (Long) rs.getObject("bitrate"), rs.getInt("sample_rate"), rs.getInt("channels"), rs.getString("cover_codec"),
                rs.getString("status"), rs.getString("failure_reason"),
                renditions == null ? List.of() : Arrays.asList((Integer[]) renditions.getArray()),
                (Double) rs.getObject("loudness_lufs"), rs.getBoolean("has_artwork"), rs.getTimestamp("created_at").toInstant());
    }
}
