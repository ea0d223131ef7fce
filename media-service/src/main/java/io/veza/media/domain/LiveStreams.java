package io.veza.media.domain;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The media-side view of live streams (from veza.streams.v1) and of the players watching them. */
@ApplicationScoped
public class LiveStreams {
    public record LiveStream(String id, String userId, boolean isPublic, boolean ended) {
    }

    @Inject
    AgroalDataSource db;

    private record Cached(Optional<LiveStream> stream, long expiresNanos) {
    }

    // every player refreshes its playlist every couple of seconds: a second-old answer spares a query per refresh
    private static final long CACHE_NANOS = 1_000_000_000L;
    private final Map<String, Cached> recent = new java.util.concurrent.ConcurrentHashMap<>();

    /** Like {@link #find}, possibly up to a second old: for the HLS origin's hot path. */
    public Optional<LiveStream> findRecent(String streamId) {
        long now = System.nanoTime();
        Cached cached = recent.get(streamId);
        if (cached != null && now - cached.expiresNanos() < 0) {
            return cached.stream();
        }
        if (recent.size() > 10_000) {
            recent.clear();
        }
        Optional<LiveStream> found = find(streamId);
        recent.put(streamId, new Cached(found, now + CACHE_NANOS));
        return found;
    }

    public void started(String streamId, String userId, boolean isPublic) {
        update("insert into live_streams (stream_id, user_id, is_public) values (?, ?, ?) on conflict (stream_id) do update "
                + "set is_public = excluded.is_public, ended = false, updated_at = now()", streamId, userId, isPublic);
    }

    public void ended(String streamId) {
        update("update live_streams set ended = true, updated_at = now() where stream_id = ?", streamId);
    }

    public Optional<LiveStream> find(String streamId) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select user_id, is_public, ended from live_streams where stream_id = ?")) {
            s.setString(1, streamId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new LiveStream(streamId, rs.getString(1), rs.getBoolean(2), rs.getBoolean(3))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public void viewerSeen(String streamId, String session) {
        update("insert into live_viewers (stream_id, session_id, last_seen) values (?, ?, now()) "
                + "on conflict (stream_id, session_id) do update set last_seen = now()", streamId, session);
    }

    /** Players seen within the timeout, for every stream not ended (zero included, so drops are reported). */
    public Map<String, Integer> viewerCounts(long timeoutSeconds) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select l.stream_id, count(v.session_id) from live_streams l "
                        + "left join live_viewers v on v.stream_id = l.stream_id and v.last_seen > now() - make_interval(secs => ?) "
                        + "where not l.ended group by l.stream_id")) {
            s.setLong(1, timeoutSeconds);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getInt(2));
                }
            }
            try (PreparedStatement clean = c.prepareStatement("delete from live_viewers where last_seen < now() - interval '10 minutes'")) {
                clean.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return counts;
    }

    private void update(String sql, Object... params) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
