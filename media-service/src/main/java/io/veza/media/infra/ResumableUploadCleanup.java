package io.veza.media.infra;

import io.quarkus.scheduler.Scheduled;
import io.veza.media.domain.ObjectStore;
import io.veza.media.domain.ResumableUploads;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.jboss.logging.Logger;

/** Abandoned resumable uploads (nothing received for {@code resumable-expiry}) lose their row and their chunks. */
@ApplicationScoped
public class ResumableUploadCleanup {
    private static final Logger LOG = Logger.getLogger(ResumableUploadCleanup.class);

    @Inject
    ResumableUploads uploads;
    @Inject
    ObjectStore store;

    @Scheduled(every = "${veza.media.resumable-cleanup-every:1m}", delay = 10, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void removeAbandoned() {
        for (List<String> ids = uploads.removeExpired(100); !ids.isEmpty(); ids = uploads.removeExpired(100)) {
            ids.forEach(id -> store.deletePrefix(ResumableUploads.chunkPrefix(id)));
            LOG.infof("Removed %d abandoned resumable uploads", ids.size());
        }
    }
}
