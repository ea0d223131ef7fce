package io.veza.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A real PostgreSQL server (binaries shipped in a jar) shared by every test of one JVM. */
public final class RealPostgres {
    private static EmbeddedPostgres server;

    private RealPostgres() {
    }

    /** JDBC URL of a fresh-or-existing database on the shared server (user and password: postgres). */
    public static synchronized String jdbcUrl(String database) {
        try {
            if (server == null) {
                server = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.close();
                    } catch (IOException ignored) {
                        // the JVM is going away anyway
                    }
                }));
            }
            try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + database + "'");
                if (!rs.next()) {
                    s.execute("create database " + database);
                }
            }
            return server.getJdbcUrl("postgres", database);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
