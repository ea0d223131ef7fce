import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Event delay: from the ingest's publish callback (sent here exactly as nginx-rtmp sends it) to the
 * stream_started message on a WebSocket connected through the gateway; one stream at a time, many streams.
 * Needs a running stack: java bench/EventDelay.java [streams]
 */
public class EventDelay {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Map<String, Long> arrivals = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        int streams = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Map<String, String> env = LiveDelay.env();
        String gw = "http://127.0.0.1:" + env.get("VEZA_GATEWAY_PORT");
        String callback = "http://127.0.0.1:" + env.get("VEZA_STREAM_PORT") + "/internal/ingest/publish?secret="
                + URLEncoder.encode(env.get("VEZA_INTERNAL_SECRET"), StandardCharsets.UTF_8);
        HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + env.get("VEZA_GATEWAY_PORT") + "/ws/streaming"),
                new WebSocket.Listener() {
                    final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            long now = System.nanoTime();
                            String text = partial.toString();
                            partial.setLength(0);
                            if (text.contains("\"stream_started\"")) {
                                arrivals.put(LiveDelay.field(text, "stream_id"), now);
                            }
                        }
                        ws.request(1);
                        return null;
                    }
                }).join();

        String run = Long.toString(System.currentTimeMillis(), 36);
        List<Double> delays = new ArrayList<>();
        List<Double> callbacks = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            String token = LiveDelay.run("./veza", "token", "bench-ev-" + run + "-" + i);
            String start = LiveDelay.send("POST", gw + "/api/v1/streams/start", token, "{\"title\":\"event delay " + i + "\"}");
            String id = LiveDelay.field(start, "stream_id"), key = LiveDelay.field(start, "stream_key");
            long t0 = System.nanoTime();
            int status = HTTP.send(HttpRequest.newBuilder(URI.create(callback)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("app=live&call=publish&addr=127.0.0.1&name=" + key)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            callbacks.add((System.nanoTime() - t0) / 1e6);
            if (status != 302) {
                throw new IllegalStateException("publish callback answered " + status);
            }
            long deadline = t0 + 10_000_000_000L;
            while (!arrivals.containsKey(id) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            Long at = arrivals.get(id);
            if (at == null) {
                throw new IllegalStateException("no stream_started for " + id + " within 10 s");
            }
            delays.add((at - t0) / 1e6);
            LiveDelay.send("POST", gw + "/api/v1/streams/" + id + "/stop", token, null);
        }
        Collections.sort(delays);
        Collections.sort(callbacks);
        System.out.printf("of which the publish callback itself (stream-service deciding and committing): p50 %.1f ms, p99 %.1f ms%n",
                LiveDelay.pct(callbacks, 50), LiveDelay.pct(callbacks, 99));
        System.out.printf("publish callback -> stream_started on a WebSocket through the gateway, %d streams: "
                + "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", delays.size(), LiveDelay.pct(delays, 50),
                LiveDelay.pct(delays, 90), LiveDelay.pct(delays, 99), delays.get(delays.size() - 1));
    }
}
