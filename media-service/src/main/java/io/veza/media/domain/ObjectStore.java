package io.veza.media.domain;

import java.io.InputStream;
import java.util.Optional;

/** Object storage as the domain needs it; S3 in every deployment. */
public interface ObjectStore {
    record StoredObject(InputStream body, long length, String contentType) {
    }

    void put(String key, byte[] content, String contentType);

    /** Streams a file from disk into the store. */
    void putFile(String key, java.nio.file.Path file, String contentType);

    void delete(String key);

    /** Deletes every object whose key starts with {@code prefix}. */
    void deletePrefix(String prefix);

    /** Copies an object to a local file; false when there is no such object. */
    boolean download(String key, java.nio.file.Path target);

    Optional<StoredObject> get(String key);

    Optional<String> getText(String key);
}
