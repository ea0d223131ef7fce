package io.veza.stream.domain;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class StreamRepository implements PanacheRepositoryBase<Stream, String> {

    public Optional<Stream> activeOf(String userId) {
        return find("userId = ?1 and status in ('starting', 'live')", userId).firstResultOptional();
    }

    public Optional<Stream> lockById(String id) {
        return find("id", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    public Optional<Stream> lockByKey(String key) {
        return find("streamKey", key).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    public Optional<Stream> lockByIdOrKey(String name) {
        return find("id = ?1 or streamKey = ?1", name).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    public List<Stream> publicLive(String category, int limit) {
        Sort newestFirst = Sort.descending("startedAt");
        var query = category == null
                ? find("status = 'live' and isPublic = true", newestFirst)
                : find("status = 'live' and isPublic = true and category = ?1", newestFirst, category);
        return query.page(Page.ofSize(limit)).list();
    }

    /** Live streams whose encoder left before {@code reconnectDeadline}, and starting ones created before {@code startDeadline}. */
    public List<Stream> due(Instant reconnectDeadline, Instant startDeadline) {
        return find("(status = 'live' and disconnectedAt < ?1) or (status = 'starting' and createdAt < ?2)",
                reconnectDeadline, startDeadline).withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }
}
