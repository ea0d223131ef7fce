package io.veza.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the real infrastructure a service test needs (PostgreSQL database named by the {@code db} init arg,
 * Kafka unless {@code kafka=false}, the S3-compatible store with {@code s3=true}) and points the service and its JWT verification at it.
 */
public class RealInfra implements QuarkusTestResourceLifecycleManager {
    private Map<String, String> args = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        this.args = initArgs;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        String db = args.get("db");
        if (db != null) {
            config.put("quarkus.datasource.jdbc.url", RealPostgres.jdbcUrl(db));
            config.put("quarkus.datasource.username", "postgres");
            config.put("quarkus.datasource.password", "postgres");
        }
        if (!"false".equals(args.get("kafka"))) {
            config.put("kafka.bootstrap.servers", RealKafka.bootstrapServers());
        }
        if ("true".equals(args.get("s3"))) {
            config.put("quarkus.s3.endpoint-override", RealS3.endpoint());
            config.put("quarkus.s3.aws.credentials.static-provider.access-key-id", RealS3.ACCESS_KEY);
            config.put("quarkus.s3.aws.credentials.static-provider.secret-access-key", RealS3.SECRET_KEY);
            config.put("veza.media.bucket", RealS3.BUCKET);
        }
        config.put("mp.jwt.verify.publickey.location", TestTokens.publicKeyFile().toUri().toString());
        config.put("mp.jwt.verify.issuer", TestTokens.ISSUER);
        return config;
    }

    @Override
    public void stop() {
        // shared by all test classes of the JVM; shut down with it
    }
}
