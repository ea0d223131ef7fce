package io.veza.media.domain;

import io.agroal.api.AgroalDataSource;
import io.veza.contracts.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The state of tus uploads in PostgreSQL, so that any replica can take the next chunk. Each chunk is its own object;
 * appending one is a compare-and-set on the offset, so of two concurrent PATCHes at one offset only one counts.
 */
@ApplicationScoped
public class ResumableUploads {
    private static final String COLUMNS = "id, user_id, length, received, metadata, chunks, file_id, expires_at";

    @Inject
    AgroalDataSource db;

    /** {@code received}: bytes stored so far (tus's {@code Upload-Offset}); {@code fileId}: set once it became a library file. */
    public record Upload(String id, String userId, long length, long received, String metadata, List<String> chunks, String fileId,
            Instant expiresAt) {
        public boolean complete() {
            return received == length;
        }

        public boolean ownedBy(String user) {
            return userId.equals(user);
        }
    }

    public static String chunkPrefix(String uploadId) {
        return "uploads/" + uploadId + "/";
    }

    public Upload create(String userId, long length, String metadata, Duration expiry) {
        String id = Ids.random("upl_", 20);
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("insert into resumable_uploads "
                + "(id, user_id, length, metadata, expires_at) values (?, ?, ?, ?, now() + make_interval(secs => ?)) returning " + COLUMNS)) {
            LibraryFiles.bind(s, id, userId, length, metadata, (double) expiry.toSeconds());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return read(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Unexpired uploads only: an expired one is gone for its client even before the cleanup removes it. */
    public Optional<Upload> find(String id) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select " + COLUMNS + " from resumable_uploads where id = ? and expires_at > now()")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records a stored chunk taken at {@code offset}; empty if the offset moved meanwhile (the chunk does not count). */
    public Optional<Upload> append(String id, long offset, String chunkKey, long bytes, Duration expiry) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("update resumable_uploads set received = received + ?, "
                + "chunks = array_append(chunks, ?), expires_at = now() + make_interval(secs => ?) "
                + "where id = ? and received = ? and received + ? <= length and file_id is null returning " + COLUMNS)) {
            LibraryFiles.bind(s, bytes, chunkKey, (double) expiry.toSeconds(), id, offset, bytes);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The upload became {@code fileId}; its chunks are no longer needed. */
    public void finish(String id, String fileId) {
        update("update resumable_uploads set file_id = ?, chunks = '{}' where id = ?", fileId, id);
    }

    public void delete(String id) {
        update("delete from resumable_uploads where id = ?", id);
    }

    /** Removes up to {@code limit} expired uploads and returns their ids, whose chunks the caller deletes. */
    public List<String> removeExpired(int limit) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("delete from resumable_uploads where id in ("
                + "select id from resumable_uploads where expires_at <= now() limit ? for update skip locked) returning id")) {
            s.setInt(1, limit);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void update(String sql, Object... values) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            LibraryFiles.bind(s, values);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Upload read(ResultSet rs) throws SQLException {
        Array chunks = rs.getArray("chunks");
        Timestamp expires = rs.getTimestamp("expires_at");
        return new Upload(rs.getString("id"), rs.getString("user_id"), rs.getLong("length"), rs.getLong("received"), rs.getString("metadata"),
                chunks == null ? List.of() : Arrays.asList((String[]) chunks.getArray()), rs.getString("file_id"), expires.toInstant());
    }
}
