package io.veza.gateway.api;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.veza.gateway.domain.GatewayConfig;
import io.veza.gateway.domain.Upstream;
import io.veza.gateway.infra.Upstreams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /health}: each service's readiness, checked in parallel with a short timeout, and the streaming
 * figures the stream and media services publish on {@code /internal/stats} (null when they cannot be read).
 */
@ApplicationScoped
public class HealthHandler {
    @Inject
    Upstreams upstreams;
    @Inject
    GatewayConfig config;

    private Future<JsonObject> last;
    private long lastAt;

    void handle(RoutingContext ctx) {
        report().onComplete(done -> {
            JsonObject report = done.result();
            ctx.response().setStatusCode("DOWN".equals(report.getString("status")) ? 503 : 200)
                    .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                    .end(report.encode());
        });
    }

    /** Concurrent callers share one check, and a fresh result is reused briefly. */
    private synchronized Future<JsonObject> report() {
        long now = System.nanoTime();
        if (last == null || last.isComplete() && now - lastAt > config.healthCache().toNanos()) {
            last = check();
            lastAt = now;
        }
        return last;
    }

    private Future<JsonObject> check() {
        List<Future<Boolean>> ready = new ArrayList<>();
        for (Upstream upstream : Upstream.values()) {
            ready.add(get(upstream, "/q/health/ready", false).map(body -> body != null).otherwise(false));
        }
        Future<JsonObject> streamStats = stats(Upstream.STREAM);
        Future<JsonObject> mediaStats = stats(Upstream.MEDIA);
        List<Future<?>> all = new ArrayList<>(ready);
        all.add(streamStats);
        all.add(mediaStats);
        return Future.join(all).transform(ignored -> {
            JsonObject parts = new JsonObject();
            int up = 0;
            for (Upstream upstream : Upstream.values()) {
                boolean isUp = ready.get(upstream.ordinal()).result();
                parts.put(upstream.id, isUp ? "UP" : "DOWN");
                up += isUp ? 1 : 0;
            }
            String status = up == ready.size() ? "UP" : up == 0 ? "DOWN" : "DEGRADED";
            JsonObject streaming = new JsonObject()
                    .put("live_streams", streamStats.result().getValue("live_streams"))
                    .put("transcoders", mediaStats.result().getValue("transcoders"))
                    .put("segment_delay_ms", mediaStats.result().getValue("segment_delay_ms"))
                    .put("quality", mediaStats.result().getValue("quality"));
            return Future.succeededFuture(new JsonObject().put("status", status).put("parts", parts).put("streaming", streaming));
        });
    }

    private Future<JsonObject> stats(Upstream upstream) {
        return get(upstream, "/internal/stats", true).map(body -> {
            try {
                return body == null ? new JsonObject() : new JsonObject(body);
            } catch (RuntimeException notAnObject) {
                return new JsonObject();
            }
        }).otherwise(new JsonObject());
    }

    /** The body of a 200 answer, null for any other status; fails when the service does not answer in time. */
    private Future<String> get(Upstream upstream, String path, boolean internal) {
        long timeout = config.healthTimeout().toMillis();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setURI(path)
                .setConnectTimeout(timeout).setIdleTimeout(timeout);
        config.internalSecret().filter(secret -> internal).ifPresent(secret -> options.putHeader("X-Internal-Secret", secret));
        return upstreams.http(upstream).request(options)
                .compose(request -> request.send())
                .compose(response -> response.body().map(body -> response.statusCode() == 200 ? body.toString() : null));
    }
}
