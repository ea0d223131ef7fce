package io.veza.media.domain;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class LibraryFiles {
    private static final String COLUMNS = "id, user_id, filename, title, artist, album, genre, year, track, category, tags, "
            + "is_public, size, duration_ms, format, codec, bitrate, sample_rate, channels, status, created_at";

    @Inject
    AgroalDataSource db;

    public record Page(List<LibraryFile> files, long total) {
    }

    public void insert(LibraryFile f) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("insert into files (" + COLUMNS + ", search_text) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            Object[] values = {f.id(), f.userId(), f.filename(), f.title(), f.artist(), f.album(), f.genre(), f.year(), f.track(),
                    f.category(), c.createArrayOf("text", f.tags().toArray()), f.isPublic(), f.size(), f.durationMs(), f.format(),
                    f.codec(), f.bitrate(), f.sampleRate(), f.channels(), f.status(), Timestamp.from(f.createdAt()),
                    searchable(f.title() + " " + (f.artist() == null ? "" : f.artist()))};
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null) {
                    s.setNull(i + 1, Types.NULL);
                } else {
                    s.setObject(i + 1, values[i]);
                }
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Optional<LibraryFile> find(String id) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("select " + COLUMNS + " from files where id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One page of files, newest first: the owner's ({@code ownerId} set) or the public catalogue. {@code search} is a
     * plain substring of title or artist, case- and accent-insensitive; {@code %} and {@code _} are just characters.
     */
    public Page list(String ownerId, String category, String search, int page, int limit) {
        StringBuilder where = new StringBuilder(ownerId != null ? "user_id = ?" : "is_public");
        List<Object> params = new java.util.ArrayList<>();
        if (ownerId != null) {
            params.add(ownerId);
        }
        if (category != null) {
            where.append(" and category = ?");
            params.add(category);
        }
        if (search != null && !search.isBlank()) {
            where.append(" and strpos(search_text, ?) > 0");
            params.add(searchable(search.strip()));
        }
        try (Connection c = db.getConnection();
                PreparedStatement count = c.prepareStatement("select count(*) from files where " + where);
                PreparedStatement select = c.prepareStatement("select " + COLUMNS + " from files where " + where
                        + " order by created_at desc, id limit ? offset ?")) {
            for (int i = 0; i < params.size(); i++) {
                count.setObject(i + 1, params.get(i));
                select.setObject(i + 1, params.get(i));
            }
            select.setInt(params.size() + 1, limit);
            select.setLong(params.size() + 2, (long) (page - 1) * limit);
            long total;
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
            List<LibraryFile> found = new java.util.ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    found.add(read(rs));
                }
            }
            return new Page(found, total);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lower case without accents: "Élodie Öst" and "elodie ost" match. */
    static String searchable(String text) {
        return java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFKD).replaceAll("\\p{M}+", "").toLowerCase(java.util.Locale.ROOT);
    }

    private static LibraryFile read(ResultSet rs) throws SQLException {
        Array tags = rs.getArray("tags");
        return new LibraryFile(rs.getString("id"), rs.getString("user_id"), rs.getString("filename"), rs.getString("title"),
                rs.getString("artist"), rs.getString("album"), rs.getString("genre"), (Integer) rs.getObject("year"),
                (Integer) rs.getObject("track"), rs.getString("category"), tags == null ? List.of() : Arrays.asList((String[]) tags.getArray()),
                rs.getBoolean("is_public"), rs.getLong("size"), rs.getLong("duration_ms"), rs.getString("format"), rs.getString("codec"),
                (Long) rs.getObject("bitrate"), rs.getInt("sample_rate"), rs.getInt("channels"), rs.getString("status"),
                rs.getTimestamp("created_at").toInstant());
    }
}
