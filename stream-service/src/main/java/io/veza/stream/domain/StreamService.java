package io.veza.stream.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veza.contracts.ApiException;
import io.veza.contracts.ErrorCode;
import io.veza.contracts.Ids;
import io.veza.contracts.StreamEvents;
import io.veza.contracts.ViewerToken;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;

@ApplicationScoped
@Transactional
public class StreamService {
    private static final Logger LOG = Logger.getLogger(StreamService.class);

    @Inject
    StreamConfig config;
    @Inject
    Outbox outbox;
    @Inject
    IngestControl ingest;
    @Inject
    StreamRepository streams;

    Clock clock = Clock.systemUTC();

    public record NewStream(String title, String description, boolean isPublic, String category, List<String> tags) {
    }

    public record Joined(Stream stream, String viewerToken, Instant joinedAt) {
    }

    public Stream start(Caller caller, NewStream request) {
        if (streams.activeOf(caller.userId()).isPresent()) {
            throw new ApiException(ErrorCode.STREAM_ALREADY_LIVE, "You already have a stream starting or live; stop it first");
        }
        Stream stream = new Stream();
        stream.id = Ids.random("str_", 16);
        stream.userId = caller.userId();
        stream.username = caller.username();
        stream.title = request.title();
        stream.description = request.description();
        stream.category = request.category();
        stream.tags = request.tags();
        stream.isPublic = request.isPublic();
        stream.status = StreamStatus.STARTING.value();
        stream.streamKey = Ids.random("sk_", 32);
        stream.createdAt = now();
        try {
            streams.persistAndFlush(stream);
        } catch (ConstraintViolationException e) {
            // a concurrent start of the same user won the unique index
            throw new ApiException(ErrorCode.STREAM_ALREADY_LIVE, "You already have a stream starting or live; stop it first");
        }
        return stream;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Stream visible(Caller caller, String id) {
        return streams.findByIdOptional(id)
                .filter(s -> s.visibleTo(caller))
                .orElseThrow(() -> new ApiException(ErrorCode.STREAM_NOT_FOUND, "No stream " + id));
    }

    public Stream stop(Caller caller, String id) {
        Stream stream = streams.lockById(id)
                .filter(s -> s.visibleTo(caller))
                .orElseThrow(() -> new ApiException(ErrorCode.STREAM_NOT_FOUND, "No stream " + id));
        if (!caller.owns(stream) && !caller.admin()) {
            throw new ApiException(ErrorCode.STREAM_ACCESS_DENIED, "Only the owner of the stream may stop it");
        }
        if (stream.status() == StreamStatus.STOPPED) {
            throw new ApiException(ErrorCode.STREAM_ALREADY_STOPPED, "Stream " + id + " is already stopped");
        }
        boolean wasPublishing = stream.publishing();
        finish(stream);
        if (wasPublishing) {
            ingest.dropPublisher(stream.id);
        }
        return stream;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Stream> live(String category, int limit) {
        return streams.publicLive(category, limit);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public long count(StreamStatus status) {
        return streams.count("status", status.value());
    }

    public Joined join(Caller caller, String id, ViewerToken tokens) {
        Stream stream = visible(caller, id);
        if (stream.status() != StreamStatus.LIVE) {
            throw new ApiException(ErrorCode.STREAM_NOT_LIVE, "Stream " + id + " is " + stream.status);
        }
        Instant now = now();
        return new Joined(stream, tokens.issue(stream.id, Ids.random("v", 12), now.plus(config.viewerSessionTtl())), now);
    }

    /** The ingest asks whether an encoder presenting this key may publish; the answer is the stream it feeds. */
    public Optional<Stream> publish(String streamKey) {
        Optional<Stream> found = streams.lockByKey(streamKey);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Stream stream = found.get();
        Instant now = now();
        switch (stream.status()) {
            case STARTING -> {
                stream.moveTo(StreamStatus.LIVE);
                stream.startedAt = now;
                stream.publishingSince = now;
                ObjectNode data = outbox.data();
                data.put("title", stream.title);
                data.put("username", stream.username);
                data.put("category", stream.category);
                data.put("started_at", now.toString());
                outbox.add(StreamEvents.STARTED, stream, data, now);
            }
            case LIVE -> {
                if (stream.publishing()) {
                    LOG.infof("Refused a second encoder for stream %s", stream.id);
                    return Optional.empty();
                }
                stream.publishingSince = now;
                stream.disconnectedAt = null;
                outbox.add(StreamEvents.PUBLISH_RESUMED, stream, outbox.data(), now);
            }
            case STOPPED -> {
                return Optional.empty();
            }
        }
        return Optional.of(stream);
    }

    /** The encoder went away: open the reconnect window. {@code name} is the stream id or, depending on the ingest, its key. */
    public void publishDone(String name) {
        streams.lockByIdOrKey(name).filter(s -> s.status() == StreamStatus.LIVE && s.publishing()).ifPresent(stream -> {
            Instant now = now();
            stream.endPublishing(now);
            stream.disconnectedAt = now;
            outbox.add(StreamEvents.PUBLISH_INTERRUPTED, stream, outbox.data(), now);
        });
    }

    /** Ends streams whose encoder did not come back in time and streams never published. */
    public int expire() {
        Instant now = now();
        List<Stream> due = streams.due(now.minus(config.reconnectWindow()), now.minus(config.startExpiry()));
        due.forEach(this::finish);
        return due.size();
    }

    public void viewers(String id, int count) {
        streams.lockById(id).filter(s -> s.status() == StreamStatus.LIVE && s.viewersCount != count).ifPresent(stream -> {
            Instant now = now();
            stream.viewersCount = count;
            stream.viewersPeak = Math.max(stream.viewersPeak, count);
            ObjectNode data = outbox.data();
            data.put("viewers_count", count);
            data.put("updated_at", now.toString());
            outbox.add(StreamEvents.VIEWERS_UPDATED, stream, data, now);
        });
    }

    private void finish(Stream stream) {
        Instant now = now();
        stream.endPublishing(now);
        stream.moveTo(StreamStatus.STOPPED);
        stream.stoppedAt = now;
        stream.disconnectedAt = null;
        stream.viewersCount = 0;
        ObjectNode data = outbox.data();
        data.put("duration", stream.liveSeconds);
        data.put("viewers_peak", stream.viewersPeak);
        data.put("stopped_at", now.toString());
        data.put("started_at", stream.startedAt == null ? null : stream.startedAt.toString());
        outbox.add(StreamEvents.STOPPED, stream, data, now);
    }

    /** Millisecond precision: what the database keeps and what events carry are then the same instant. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
