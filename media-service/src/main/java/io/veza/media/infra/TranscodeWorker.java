package io.veza.media.infra;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.veza.media.domain.LibraryFile;
import io.veza.media.domain.LibraryFiles;
import io.veza.media.domain.MediaConfig;
import io.veza.media.domain.ObjectStore;
import io.veza.media.domain.TranscodeJobs;
import io.veza.media.domain.TranscodeJobs.Claim;
import io.veza.media.domain.TranscodeQueue;
import io.veza.media.domain.Transcoder;
import io.veza.media.domain.VodHls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Runs transcoding jobs: claims one (with a lease it renews while it works), fetches the original, has ffmpeg make
 * the renditions, replaces whatever a previous attempt left in storage, then records the result and its event in one
 * transaction, provided the lease is still its own. Every replica runs {@code transcode-workers} of these loops.
 */
@ApplicationScoped
public class TranscodeWorker implements TranscodeQueue {
    private static final Logger LOG = Logger.getLogger(TranscodeWorker.class);
    private static final Duration IDLE_POLL = Duration.ofSeconds(2);

    @Inject
    TranscodeJobs jobs;
    @Inject
    LibraryFiles files;
    @Inject
    ObjectStore store;
    @Inject
    Transcoder transcoder;
    @Inject
    MediaConfig config;

    private final String workerId = "media-" + UUID.randomUUID().toString().substring(0, 8);
    private final Semaphore work = new Semaphore(0);
    private final List<Thread> loops = new ArrayList<>();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(daemon("transcode-lease"));
    private final ExecutorService uploads = Executors.newFixedThreadPool(4, daemon("transcode-upload"));
    private volatile boolean running = true;

    void onStart(@Observes StartupEvent event) {
        for (int i = 0; i < config.transcodeWorkers(); i++) {
            Thread t = daemon("transcode-worker-" + i).newThread(this::loop);
            loops.add(t);
            t.start();
        }
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        loops.forEach(Thread::interrupt);
        for (Thread t : loops) {
            t.join(10_000);
        }
        heartbeats.shutdownNow();
        uploads.shutdownNow();
    }

    @Override
    public void wake() {
        work.release();
    }

    private void loop() {
        while (running) {
            try {
                Optional<Claim> claim = jobs.claim(workerId, config.transcodeLease());
                if (claim.isPresent()) {
                    run(claim.get());
                } else {
                    work.tryAcquire(IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS);
                    work.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warnf("Transcoding worker: %s; trying again shortly", e.getMessage());
                    sleep(IDLE_POLL);
                }
            }
        }
    }

    private void run(Claim claim) {
        LibraryFile file = claim.file();
        if (claim.attempts() > config.transcodeMaxAttempts()) {
            jobs.fail(claim, workerId, "transcoding stopped " + config.transcodeMaxAttempts() + " times before finishing");
            return;
        }
        AtomicBoolean lost = new AtomicBoolean();
        long renewEvery = config.transcodeLease().toMillis() / 3;
        ScheduledFuture<?> heartbeat = heartbeats.scheduleAtFixedRate(() -> {
            try {
                if (!jobs.renew(file.id(), workerId, config.transcodeLease())) {
                    lost.set(true);
                }
            } catch (RuntimeException e) {
                LOG.warnf("Could not renew the lease of %s: %s", file.id(), e.getMessage());
            }
        }, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        Path work = null;
        try {
            work = Files.createTempDirectory("transcode-");
            long started = System.nanoTime();
            TranscodeJobs.Result result = transcode(file, work, () -> lost.get() || !running);
            if (jobs.succeed(claim, workerId, result)) {
                LOG.infof("Transcoded %s (%d s of audio) in %d ms: %s kbit/s", file.id(), file.durationMs() / 1000,
                        (System.nanoTime() - started) / 1_000_000, result.renditions());
            } else {
                forgetIfDeleted(file.id());
            }
        } catch (Transcoder.Failure e) {
            if (!running) {
                jobs.giveBack(file.id(), workerId);
            } else if (!lost.get() && jobs.fail(claim, workerId, e.getMessage())) {
                LOG.infof("Transcoding %s failed: %s", file.id(), e.getMessage());
                store.deletePrefix(LibraryFile.derivedPrefix(file.id()));
            } else {
                forgetIfDeleted(file.id());
            }
        } catch (IOException | RuntimeException e) {
            // storage or database trouble: the lease runs out and the job is tried again
            LOG.warnf("Transcoding %s interrupted, will be retried: %s", file.id(), e.getMessage());
        } finally {
            heartbeat.cancel(false);
            deleteTree(work);
        }
    }

    private TranscodeJobs.Result transcode(LibraryFile file, Path work, java.util.function.BooleanSupplier cancelled)
            throws IOException, Transcoder.Failure {
        long started = System.nanoTime();
        Path original = work.resolve("original");
        if (!store.download(LibraryFile.originalKey(file.id()), original)) {
            throw new Transcoder.Failure("the original is missing from storage");
        }
        List<Integer> kbps = VodHls.renditionsFor(config.transcodeLadder(), file.codec(), file.bitrate());
        Path hls = Files.createDirectories(work.resolve("hls"));
        Duration timeout = config.transcodeTimeout().plusMillis(2 * file.durationMs());
        // a previous attempt may have left other objects behind: start from an empty prefix, master playlist last
        store.deletePrefix(LibraryFile.derivedPrefix(file.id()));
        long fetched = System.nanoTime();
        SegmentShipper shipper = new SegmentShipper(file.id(), hls, kbps);
        ScheduledFuture<?> shipping = heartbeats.scheduleWithFixedDelay(shipper::ship, 250, 250, TimeUnit.MILLISECONDS);
        Transcoder.Analysis analysis;
        try {
            analysis = transcoder.transcode(original, hls, kbps, file.durationMs(), timeout, cancelled);
        } catch (Transcoder.Failure e) {
            shipping.cancel(false);
            shipper.settle();  // so that clearing the prefix afterwards leaves nothing behind
            throw e;
        } finally {
            shipping.cancel(false);
        }
        long transcoded = System.nanoTime();
        shipper.ship();
        Path cover = work.resolve("cover");
        boolean artwork = file.coverCodec() != null && transcoder.extractCover(original, cover);
        List<VodHls.Measured> measured = new ArrayList<>();
        for (int rate : kbps) {
            measured.add(VodHls.measure(rate, hls.resolve(VodHls.variantName(rate))));
        }
        List<Future<?>> puts = shipper.puts();
        await(puts);
        for (int rate : kbps) {
            store.putFile(LibraryFile.hlsPrefix(file.id()) + VodHls.variantName(rate) + "/" + VodHls.VARIANT,
                    hls.resolve(VodHls.variantName(rate)).resolve(VodHls.VARIANT), VodHls.PLAYLIST_TYPE);
        }
        if (artwork) {
            store.putFile(LibraryFile.artworkKey(file.id()), cover, "png".equals(file.coverCodec()) ? "image/png" : "image/jpeg");
        }
        store.put(LibraryFile.hlsPrefix(file.id()) + VodHls.MASTER, VodHls.master(measured).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                VodHls.PLAYLIST_TYPE);
        LOG.infof("%s: original fetched in %d ms, ffmpeg %d ms, renditions all stored %d ms later", file.id(),
                (fetched - started) / 1_000_000, (transcoded - fetched) / 1_000_000, (System.nanoTime() - transcoded) / 1_000_000);
        return new TranscodeJobs.Result(kbps, analysis.loudnessLufs(), analysis.peaks(), artwork,
                config.publicUrl() + "/hls/files/" + file.id() + "/" + VodHls.MASTER);
    }

    /**
     * Stores segments while ffmpeg still makes the rest: ffmpeg writes each one under a temporary name and renames it
     * when it is complete ({@code temp_file}), so every {@code .ts} seen is final.
     */
    private final class SegmentShipper {
        private final String fileId;
        private final Path hls;
        private final List<Integer> kbps;
        private final Set<Path> shipped = ConcurrentHashMap.newKeySet();
        private final List<Future<?>> puts = Collections.synchronizedList(new ArrayList<>());

        SegmentShipper(String fileId, Path hls, List<Integer> kbps) {
            this.fileId = fileId;
            this.hls = hls;
            this.kbps = kbps;
        }

        /** Synchronized: the last call (after ffmpeg exits) returns only once a scheduled round still running is done. */
        synchronized void ship() {
            for (int rate : kbps) {
                Path dir = hls.resolve(VodHls.variantName(rate));
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> segments = Files.list(dir)) {
                    segments.filter(p -> p.getFileName().toString().endsWith(".ts") && shipped.add(p)).forEach(segment -> puts.add(
                            uploads.submit(() -> store.putFile(LibraryFile.hlsPrefix(fileId) + VodHls.variantName(rate) + "/"
                                    + segment.getFileName(), segment, "video/mp2t"))));
                } catch (IOException | UncheckedIOException e) {
                    // the directory is being written: the next round sees it
                }
            }
        }

        List<Future<?>> puts() {
            synchronized (puts) {
                return new ArrayList<>(puts);
            }
        }

        /** Waits for the stores under way, whatever their outcome. */
        void settle() {
            for (Future<?> put : puts()) {
                try {
                    put.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (java.util.concurrent.ExecutionException e) {
                    // being abandoned anyway
                }
            }
        }
    }

    /** A file deleted while it was being transcoded: what this worker stored after the delete must go too. */
    private void forgetIfDeleted(String fileId) {
        if (files.find(fileId).isEmpty()) {
            store.deletePrefix(LibraryFile.derivedPrefix(fileId));
        }
    }

    private static void await(List<Future<?>> futures) throws IOException {
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while storing renditions");
        } catch (java.util.concurrent.ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            throw new IOException("could not store renditions: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("Could not clean up %s: %s", dir, e.getMessage());
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
