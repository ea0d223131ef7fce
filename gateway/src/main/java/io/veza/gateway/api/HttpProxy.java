package io.veza.gateway.api;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import io.veza.contracts.ErrorCode;
import io.veza.gateway.domain.GatewayConfig;
import io.veza.gateway.domain.Upstream;
import io.veza.gateway.domain.UpstreamFailures;
import io.veza.gateway.infra.Upstreams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Streams a request to a service and its response back, never holding a whole body: each side is piped with
 * backpressure, so a slow reader slows the writer down instead of filling the gateway's memory.
 */
@ApplicationScoped
public class HttpProxy {
    private static final Logger LOG = Logger.getLogger(HttpProxy.class);
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "te", "trailer",
            "upgrade", "host", "expect");

    @Inject
    Upstreams upstreams;
    @Inject
    Problems problems;
    @Inject
    GatewayConfig config;
    @Inject
    UnreadBodies unreadBodies;

    public void forward(RoutingContext ctx, Upstream upstream, Duration responseTimeout) {
        HttpServerRequest in = ctx.request();
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setURI(uri(ctx))
                .setHeaders(upstreamHeaders(in, false))
                .setConnectTimeout(config.connectTimeout().toMillis());
        upstreams.http(upstream).request(options).onComplete(connected -> {
            if (connected.failed()) {
                fail(ctx, upstream, UpstreamFailures.whileConnecting(connected.cause()), connected.cause());
            } else {
                exchange(ctx, upstream, connected.result(), responseTimeout.toMillis());
            }
        });
    }

    private void exchange(RoutingContext ctx, Upstream upstream, HttpClientRequest out, long timeoutMillis) {
        HttpServerRequest in = ctx.request();
        if (ctx.response().closed()) {
            out.reset();
            return;
        }
        // the client went away (mid-upload or while waiting): free the upstream connection too
        ctx.addEndHandler(done -> {
            if (done.failed()) {
                out.reset();
            }
        });
        // failures surface through the response future and the pipes; resets are ours
        out.exceptionHandler(e -> LOG.debugf("Request %s: upstream request ended: %s", GatewayRouter.requestId(ctx), e));
        if (in.getHeader("Content-Length") == null && UnreadBodies.hasBody(in)) {
            out.setChunked(true);
        }
        boolean[] bodySent = new boolean[1];
        in.pipe().endOnFailure(false).to(out).onComplete(sent -> {
            bodySent[0] = sent.succeeded();
            // the response clock starts once the service has the whole request, so slow uploads are not cut
            if (sent.succeeded() && !out.response().isComplete()) {
                out.idleTimeout(timeoutMillis);
            }
        });
        out.response().onComplete(answered -> {
            if (answered.failed()) {
                fail(ctx, upstream, UpstreamFailures.whileExchanging(answered.cause()), answered.cause());
            } else {
                relay(ctx, upstream, answered.result(), out, bodySent);
            }
        });
    }

    private void relay(RoutingContext ctx, Upstream upstream, HttpClientResponse answer, HttpClientRequest out, boolean[] bodySent) {
        HttpServerResponse response = ctx.response();
        if (response.closed()) {
            return;
        }
        response.setStatusCode(answer.statusCode()).setStatusMessage(answer.statusMessage());
        Set<String> skipped = connectionTokens(answer.headers());
        for (Map.Entry<String, String> header : answer.headers()) {
            if (!skipped.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                response.headers().add(header.getKey(), header.getValue());
            }
        }
        if (answer.getHeader("Content-Length") == null && mayHaveBody(ctx.request().method(), answer.statusCode())) {
            response.setChunked(true);
        }
        // the service answered before reading the whole body (e.g. 413): the rest will not be read
        boolean early = !bodySent[0];
        if (early) {
            response.putHeader("Connection", "close");
        }
        answer.pipe().endOnFailure(false).to(response).onComplete(relayed -> {
            if (relayed.failed()) {
                // a cut upstream body must reach the client as a broken response, never as a short complete one
                LOG.warnf("Request %s: the response of %s broke off: %s", GatewayRouter.requestId(ctx), upstream.id, relayed.cause());
                response.reset();
            } else if (early) {
                out.reset();
                unreadBodies.closeSoon(ctx.request(), false);
            }
        });
    }

    private void fail(RoutingContext ctx, Upstream upstream, int status, Throwable cause) {
        String requestId = GatewayRouter.requestId(ctx);
        if (ctx.response().closed()) {
            LOG.debugf("Request %s: client gone before %s answered", requestId, upstream.id);
            return;
        }
        LOG.warnf("Request %s: %s %s to %s failed (%d): %s", requestId, ctx.request().method(), ctx.normalizedPath(),
                upstream.id, status, cause);
        String detail = switch (status) {
            case UpstreamFailures.UNAVAILABLE -> upstream.id + " is unavailable";
            case UpstreamFailures.GATEWAY_TIMEOUT -> upstream.id + " did not answer in time";
            default -> upstream.id + " failed to answer";
        };
        problems.send(ctx, ErrorCode.STREAM_ERROR, status, detail);
    }

    /** The normalized path (what was routed on, so that {@code ..} cannot reach elsewhere) and the raw query. */
    static String uri(RoutingContext ctx) {
        String query = ctx.request().query();
        return query == null ? ctx.normalizedPath() : ctx.normalizedPath() + "?" + query;
    }

    /** The client's headers minus hop-by-hop ones, plus the X-Forwarded-* set; the request id is already in them. */
    static MultiMap upstreamHeaders(HttpServerRequest in, boolean webSocket) {
        Set<String> skipped = connectionTokens(in.headers());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (Map.Entry<String, String> header : in.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!skipped.contains(name) && !(webSocket && name.startsWith("sec-websocket-"))) {
                headers.add(header.getKey(), header.getValue());
            }
        }
        String forwardedFor = in.getHeader("X-Forwarded-For");
        String client = in.remoteAddress() == null ? "unknown" : in.remoteAddress().hostAddress();
        headers.set("X-Forwarded-For", forwardedFor == null ? client : forwardedFor + ", " + client);
        headers.set("X-Forwarded-Proto", in.scheme());
        String host = in.getHeader("Host");
        if (host != null) {
            headers.set("X-Forwarded-Host", host);
        }
        return headers;
    }

    /** Hop-by-hop headers: the fixed list, {@code Proxy-*} and whatever {@code Connection} names. */
    private static Set<String> connectionTokens(MultiMap headers) {
        Set<String> names = new HashSet<>(HOP_BY_HOP);
        for (String value : headers.getAll("Connection")) {
            for (String token : value.split(",")) {
                names.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        for (String name : headers.names()) {
            if (name.regionMatches(true, 0, "proxy-", 0, 6)) {
                names.add(name.toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    private static boolean mayHaveBody(HttpMethod method, int status) {
        return method != HttpMethod.HEAD && status != 204 && status != 304 && status >= 200;
    }
}
