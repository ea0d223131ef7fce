package io.veza.media.infra;

import io.veza.media.domain.MediaConfig;
import io.veza.media.domain.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

@ApplicationScoped
public class S3ObjectStore implements ObjectStore {
    @Inject
    S3Client s3;
    @Inject
    MediaConfig config;

    @Override
    public void put(String key, byte[] content, String contentType) {
        s3.putObject(b -> b.bucket(config.bucket()).key(key).contentType(contentType), RequestBody.fromBytes(content));
    }

    @Override
    public void putFile(String key, Path file, String contentType) {
        s3.putObject(b -> b.bucket(config.bucket()).key(key).contentType(contentType), RequestBody.fromFile(file));
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(config.bucket()).key(key));
    }

    @Override
    public void deletePrefix(String prefix) {
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(config.bucket()).prefix(prefix))) {
            List<ObjectIdentifier> keys = page.contents().stream().map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
            if (!keys.isEmpty()) {
                s3.deleteObjects(b -> b.bucket(config.bucket()).delete(d -> d.objects(keys).quiet(true)));
            }
        }
    }

    @Override
    public boolean download(String key, Path target) {
        try {
            Files.deleteIfExists(target);
            s3.getObject(b -> b.bucket(config.bucket()).key(key), target);
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<StoredObject> get(String key) {
        try {
            ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(config.bucket()).key(key));
            return Optional.of(new StoredObject(in, in.response().contentLength(), in.response().contentType()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> getText(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(config.bucket()).key(key)).asString(StandardCharsets.UTF_8));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }
}
