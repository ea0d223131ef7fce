package io.veza.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole platform, started exactly as a user starts it ({@code ./veza up}), in a state folder of its own and
 * on ports of its own so that it can run beside a developer's stack.
 */
final class Platform implements AutoCloseable {
    static final int GATEWAY_PORT = 28080;
    static final int RTMP_PORT = 21935;

    final Path root = Path.of(System.getProperty("veza.root", "..")).toAbsolutePath().normalize();
    final Path state = Path.of(System.getProperty("veza.e2e.state", "target/e2e-state")).toAbsolutePath();
    final String gateway = "http://localhost:" + GATEWAY_PORT;
    final String ws = "ws://localhost:" + GATEWAY_PORT + "/ws/streaming";

    private final Map<String, String> env = new HashMap<>(Map.ofEntries(
            Map.entry("VEZA_STATE", state.toString()),
            Map.entry("VEZA_BUILD", "never"), // the reactor built the services just before
            Map.entry("VEZA_GATEWAY_PORT", String.valueOf(GATEWAY_PORT)),
            Map.entry("VEZA_STREAM_PORT", "28181"),
            Map.entry("VEZA_MEDIA_PORT", "28182"),
            Map.entry("VEZA_PLAYLIST_PORT", "28183"),
            Map.entry("VEZA_EVENTS_PORT", "28184"),
            Map.entry("VEZA_PG_PORT", "25432"),
            Map.entry("VEZA_KAFKA_PORT", "29092"),
            Map.entry("VEZA_KAFKA_CONTROLLER_PORT", "29093"),
            Map.entry("VEZA_S3_PORT", "29000"),
            Map.entry("VEZA_RTMP_PORT", String.valueOf(RTMP_PORT)),
            Map.entry("VEZA_INGEST_HTTP_PORT", "28088")));

    Platform up() throws Exception {
        run(600, "up");
        return this;
    }

    String token(String user, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("token", user));
        args.addAll(List.of(options));
        return run(30, args.toArray(String[]::new)).strip();
    }

    String run(int timeoutSeconds, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(root.resolve("veza").toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("veza-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectError(log.toFile()).redirectOutput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(env);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("./veza " + String.join(" ", args) + " failed:\n" + out + Files.readString(log));
        }
        return out;
    }

    /** The logs of every part, for a failing test's report. */
    String logs() {
        try {
            return run(30, "logs");
        } catch (Exception e) {
            return "(no logs: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws Exception {
        run(120, "down");
    }
}
