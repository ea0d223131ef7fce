package io.veza.media.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.veza.contracts.MediaEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Transcoding jobs with leases. A worker claims a job for a lease period and keeps renewing it; if it dies, the
 * lease runs out and another worker (or the same one, restarted) claims the job again. Claims skip locked rows,
 * so no job is held by two workers at once, and every write checks that the lease is still ours.
 */
@ApplicationScoped
public class TranscodeJobs {
    @Inject
    AgroalDataSource db;
    @Inject
    Outbox outbox;

    /** A claimed job: the file as it was when claimed and how many times a worker has taken it (this one included). */
    public record Claim(LibraryFile file, int attempts) {
    }

    /** What the worker made: renditions in kbit/s, integrated loudness, peaks and whether artwork was stored. */
    public record Result(List<Integer> renditions, double loudnessLufs, float[] waveform, boolean hasArtwork, String hlsUrl) {
    }

    /** The oldest job that nobody holds, leased to {@code worker}; its file goes to {@code processing}. */
    public Optional<Claim> claim(String worker, Duration lease) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = db.getConnection()) {
                String fileId;
                int attempts;
                try (PreparedStatement s = c.prepareStatement("update transcode_jobs set lease_owner = ?, "
                        + "lease_until = now() + make_interval(secs => ?), attempts = attempts + 1 where file_id = ("
                        + "select file_id from transcode_jobs where lease_until is null or lease_until < now() "
                        + "order by created_at limit 1 for update skip locked) returning file_id, attempts")) {
                    s.setString(1, worker);
                    s.setDouble(2, lease.toMillis() / 1000.0);
                    try (ResultSet rs = s.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.<Claim>empty();
                        }
                        fileId = rs.getString(1);
                        attempts = rs.getInt(2);
                    }
                }
                try (PreparedStatement s = c.prepareStatement("update files set status = 'processing', failure_reason = null where id = ?")) {
                    s.setString(1, fileId);
                    s.executeUpdate();
                }
                return Optional.of(new Claim(LibraryFiles.lockedRow(c, fileId).orElseThrow(), attempts));
            }
        });
    }

    /** Extends the lease; false when it is no longer ours (it ran out and was claimed again, or the file is gone). */
    public boolean renew(String fileId, String worker, Duration lease) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("update transcode_jobs set "
                + "lease_until = now() + make_interval(secs => ?) where file_id = ? and lease_owner = ?")) {
            s.setDouble(1, lease.toMillis() / 1000.0);
            s.setString(2, fileId);
            s.setString(3, worker);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records the result and announces {@code file_ready}; false (and nothing written) if the lease is no longer ours. */
    public boolean succeed(Claim claim, String worker, Result result) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = db.getConnection()) {
                if (!release(c, claim.file().id(), worker)) {
                    return false;
                }
                Float[] peaks = new Float[result.waveform().length];
                for (int i = 0; i < peaks.length; i++) {
                    peaks[i] = result.waveform()[i];
                }
                try (PreparedStatement s = c.prepareStatement("update files set status = 'ready', failure_reason = null, renditions = ?, "
                        + "loudness_lufs = ?, waveform = ?, has_artwork = ? where id = ?")) {
                    LibraryFiles.bind(s, c.createArrayOf("integer", result.renditions().toArray()), result.loudnessLufs(),
                            c.createArrayOf("real", peaks), result.hasArtwork(), claim.file().id());
                    s.executeUpdate();
                }
                ObjectNode data = outbox.data(claim.file(), LibraryFile.READY).put("duration", Math.round(claim.file().durationMs() / 1000.0))
                        .put("hls_url", result.hlsUrl()).put("loudness_lufs", result.loudnessLufs());
                result.renditions().forEach(data.putArray("renditions")::add);
                outbox.add(c, MediaEvents.FILE_READY, claim.file().id(), data);
                return true;
            }
        });
    }

    /** Gives up on the file with a reason users can read and announces {@code file_failed}; false if the lease is gone. */
    public boolean fail(Claim claim, String worker, String reason) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = db.getConnection()) {
                if (!release(c, claim.file().id(), worker)) {
                    return false;
                }
                try (PreparedStatement s = c.prepareStatement("update files set status = 'failed', failure_reason = ? where id = ?")) {
                    s.setString(1, reason);
                    s.setString(2, claim.file().id());
                    s.executeUpdate();
                }
                outbox.add(c, MediaEvents.FILE_FAILED, claim.file().id(), outbox.data(claim.file(), LibraryFile.FAILED).put("reason", reason));
                return true;
            }
        });
    }

    /** Lets the job go back to the queue (this worker is shutting down): someone claims it again at once. */
    public void giveBack(String fileId, String worker) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "update transcode_jobs set lease_owner = null, lease_until = null, attempts = greatest(attempts - 1, 0) "
                        + "where file_id = ? and lease_owner = ?")) {
            s.setString(1, fileId);
            s.setString(2, worker);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes the job if this worker still holds it, locking the file row against a concurrent delete. */
    private static boolean release(Connection c, String fileId, String worker) throws SQLException {
        if (LibraryFiles.lockedRow(c, fileId).isEmpty()) {
            return false;
        }
        try (PreparedStatement s = c.prepareStatement("delete from transcode_jobs where file_id = ? and lease_owner = ?")) {
            s.setString(1, fileId);
            s.setString(2, worker);
            return s.executeUpdate() == 1;
        }
    }
}
