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

    public void insert(LibraryFile f) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("insert into files (" + COLUMNS + ") values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            Object[] values = {f.id(), f.userId(), f.filename(), f.title(), f.artist(), f.album(), f.genre(), f.year(), f.track(),
                    f.category(), c.createArrayOf("text", f.tags().toArray()), f.isPublic(), f.size(), f.durationMs(), f.format(),
                    f.codec(), f.bitrate(), f.sampleRate(), f.channels(), f.status(), Timestamp.from(f.createdAt())};
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
