package io.veza.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the real infrastructure a service test needs (PostgreSQL database named by the {@code db} init arg,
 * Kafka unless {@code kafka=false}) and points the service and its JWT verification at it.
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
        config.put("mp.jwt.verify.publickey.location", TestTokens.publicKeyFile().toUri().toString());
        config.put("mp.jwt.verify.issuer", TestTokens.ISSUER);
        return config;
    }

    @Override
    public void stop() {
        // shared by all test classes of the JVM; shut down with it
    }
}
