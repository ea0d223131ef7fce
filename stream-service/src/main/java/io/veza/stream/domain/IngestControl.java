package io.veza.stream.domain;

/** The RTMP ingest, seen from the domain: it can disconnect an encoder. */
public interface IngestControl {
    void dropPublisher(String streamId);
}
