import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Live delay through the whole chain (encoder -> nginx-rtmp -> ffmpeg transcoder -> receiver -> S3 -> origin ->
 * gateway): (1) first playable playlist after the publish, (2) for each segment, the time from its end in the
 * encoder's feed (publish time + the durations before it) to its appearance in the playlist served by the gateway.
 * Needs a running stack: java bench/LiveDelay.java [seconds]
 */
public class LiveDelay {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        Map<String, String> env = env();
        String gw = "http://127.0.0.1:" + env.get("VEZA_GATEWAY_PORT");
        String token = run("./veza", "token", "bench-live-" + System.nanoTime());
        String start = send("POST", gw + "/api/v1/streams/start", token, "{\"title\":\"live delay\"}");
        String id = field(start, "stream_id"), rtmp = field(start, "rtmp_url");

        Process encoder = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=48000:duration=" + (seconds + 10), "-c:a", "aac", "-b:a", "128k", "-f", "flv", rtmp)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Instant launched = Instant.now();
        try {
            Instant publishedAt = null;
            while (publishedAt == null) {
                String s = send("GET", gw + "/api/v1/streams/" + id, token, null);
                String startedAt = field(s, "started_at");
                if (startedAt != null) {
                    publishedAt = Instant.parse(startedAt);
                }
                Thread.sleep(20);
            }
            String master = gw + "/hls/live/" + id + "/master.m3u8";
            while (status(master) != 200) {
                Thread.sleep(20);
            }
            Instant playable = Instant.now();
            // the transcoder joined the live feed some time after the publish: the HLS timeline starts there
            Instant joined = transcoderJoined("http://127.0.0.1:" + env.get("VEZA_INGEST_HTTP_PORT") + "/stat", id);
            String variant = gw + "/hls/live/" + id + "/128k/index.m3u8";
            Map<String, Instant> seen = new LinkedHashMap<>();
            Map<String, Double> ends = new LinkedHashMap<>();
            Instant until = Instant.now().plusSeconds(seconds);
            while (Instant.now().isBefore(until)) {
                String playlist = send("GET", variant, null, null);
                Instant now = Instant.now();
                double cumulative = 0;
                Matcher m = Pattern.compile("#EXTINF:([0-9.]+),\\n(\\S+)").matcher(playlist);
                while (m.find()) {
                    cumulative += Double.parseDouble(m.group(1));
                    if (!seen.containsKey(m.group(2))) {
                        seen.put(m.group(2), now);
                        ends.put(m.group(2), cumulative);
                    }
                }
                Thread.sleep(50);
            }
            List<Double> delays = new ArrayList<>();
            boolean first = true;
            for (var e : seen.entrySet()) {
                if (first) { // the first segment was already there when polling began
                    first = false;
                    continue;
                }
                Instant segmentEnd = joined.plusNanos((long) (ends.get(e.getKey()) * 1e9));
                delays.add(Duration.between(segmentEnd, e.getValue()).toMillis() / 1000.0);
            }
            Collections.sort(delays);
            System.out.printf("encoder launch -> publish accepted: %.2f s%n", Duration.between(launched, publishedAt).toMillis() / 1000.0);
            System.out.printf("publish -> first playable master at the gateway: %.2f s (transcoder joined the feed after %.2f s)%n",
                    Duration.between(publishedAt, playable).toMillis() / 1000.0, Duration.between(publishedAt, joined).toMillis() / 1000.0);
            System.out.printf("segment end in the feed -> listed at the gateway, %d segments of 2 s: median %.2f s, p90 %.2f s, max %.2f s%n",
                    delays.size(), pct(delays, 50), pct(delays, 90), delays.get(delays.size() - 1));
        } finally {
            encoder.destroy();
            send("POST", gw + "/api/v1/streams/" + id + "/stop", token, null);
        }
    }

    /** When the transcoder's RTMP play session began, from nginx-rtmp's statistics (its client's connected time). */
    static Instant transcoderJoined(String statUrl, String streamId) throws Exception {
        String xml = send("GET", statUrl, null, null);
        Instant now = Instant.now();
        int stream = xml.indexOf("<name>" + streamId + "</name>");
        Matcher client = Pattern.compile("<client>(.*?)</client>", Pattern.DOTALL).matcher(xml.substring(stream));
        while (client.find()) {
            if (!client.group(1).contains("<publishing/>")) {
                Matcher time = Pattern.compile("<time>(\\d+)</time>").matcher(client.group(1));
                if (time.find()) {
                    return now.minusMillis(Long.parseLong(time.group(1)));
                }
            }
        }
        throw new IllegalStateException("no transcoder session on the ingest for " + streamId);
    }

    static double pct(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    static int status(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static String send(String method, String url, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).method(method,
                json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        return out;
    }

    static Map<String, String> env() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        String state = System.getenv().getOrDefault("VEZA_STATE", ".veza");
        for (String line : Files.readAllLines(Path.of(state, "env"))) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }
}
