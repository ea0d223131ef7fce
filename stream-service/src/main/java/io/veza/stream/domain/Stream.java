package io.veza.stream.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "streams")
public class Stream extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "user_id")
    public String userId;
    public String username;
    public String title;
    public String description;
    public String category;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> tags;
    @Column(name = "is_public")
    public boolean isPublic;
    public String status;
    @Column(name = "stream_key")
    public String streamKey;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "stopped_at")
    public Instant stoppedAt;
    @Column(name = "live_seconds")
    public long liveSeconds;
    @Column(name = "publishing_since")
    public Instant publishingSince;
    @Column(name = "disconnected_at")
    public Instant disconnectedAt;
    @Column(name = "viewers_count")
    public int viewersCount;
    @Column(name = "viewers_peak")
    public int viewersPeak;

    public StreamStatus status() {
        return StreamStatus.of(status);
    }

    public void moveTo(StreamStatus next) {
        if (!status().canBecome(next)) {
            throw new IllegalStateException("stream " + id + " cannot go from " + status + " to " + next.value());
        }
        status = next.value();
    }

    public boolean publishing() {
        return publishingSince != null;
    }

    /** Seconds the encoder was connected so far, the current connection included. */
    public long durationSeconds(Instant now) {
        return liveSeconds + (publishingSince == null ? 0 : Duration.between(publishingSince, now).toSeconds());
    }

    /** Closes the current publish session, if any, into the accumulated duration. */
    public void endPublishing(Instant now) {
        liveSeconds = durationSeconds(now);
        publishingSince = null;
    }

    public boolean visibleTo(Caller caller) {
        return isPublic || caller.owns(this) || caller.admin();
    }
}
