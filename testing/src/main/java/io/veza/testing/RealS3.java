package io.veza.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A real S3-compatible server (s3proxy, filesystem backend) run as its own process, as in the local stack. The
 * jar comes from the system property {@code veza.s3proxy.jar} (the module's build copies it from Maven Central).
 */
public final class RealS3 {
    public static final String ACCESS_KEY = "test-access";
    public static final String SECRET_KEY = "test-secret-key";
    public static final String BUCKET = "veza";
    private static String endpoint;

    private RealS3() {
    }

    public static synchronized String endpoint() {
        if (endpoint != null) {
            return endpoint;
        }
        try {
            String jar = System.getProperty("veza.s3proxy.jar");
            if (jar == null || !Files.exists(Path.of(jar))) {
                throw new IllegalStateException("veza.s3proxy.jar does not point to the s3proxy jar: " + jar);
            }
            int port = RealKafka.freePort();
            Path dir = Files.createTempDirectory("s3-");
            Files.createDirectories(dir.resolve("data").resolve(BUCKET));
            Path config = dir.resolve("s3proxy.properties");
            Files.writeString(config, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + dir.resolve("data"),
                    "jclouds.identity=" + ACCESS_KEY,
                    "jclouds.credential=" + SECRET_KEY, ""));
            Process process = new ProcessBuilder("java", "-Xmx128m", "-jar", jar, "--properties", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (true) {
                try (Socket ignored = new Socket("127.0.0.1", port)) {
                    break;
                } catch (IOException notYet) {
                    if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("s3proxy did not start; see " + dir.resolve("s3proxy.log"));
                    }
                    Thread.sleep(100);
                }
            }
            endpoint = "http://127.0.0.1:" + port;
            return endpoint;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
