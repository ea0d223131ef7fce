package io.veza.gateway.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.veza.contracts.ErrorCode;
import io.veza.gateway.domain.ApiRoutes;
import io.veza.gateway.domain.GatewayConfig;
import io.veza.gateway.domain.RequestIds;
import io.veza.gateway.domain.Upstream;
import io.veza.gateway.infra.TokenVerifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Locale;
import org.jboss.logging.Logger;

/** The public routes: request ids on everything, bearer tokens on the API, then the right service. */
@ApplicationScoped
public class GatewayRouter {
    private static final Logger LOG = Logger.getLogger(GatewayRouter.class);
    private static final String REQUEST_ID = "veza.request-id";

    @Inject
    GatewayConfig config;
    @Inject
    TokenVerifier tokens;
    @Inject
    HttpProxy http;
    @Inject
    WebSocketProxy webSockets;
    @Inject
    HealthHandler health;
    @Inject
    Problems problems;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::stampRequestId);
        router.route("/api/v1/*").handler(this::api);
        router.route("/hls/*").handler(this::hls);
        router.route("/ws/streaming").handler(this::events);
        router.get("/health").handler(health::handle);
        router.route().order(Integer.MAX_VALUE).handler(ctx -> problems.send(ctx, ErrorCode.NOT_FOUND, "No such resource"));
    }

    public static String requestId(RoutingContext ctx) {
        return ctx.get(REQUEST_ID);
    }

    /** Upstream services read it from the request, clients from every response (errors included). */
    private void stampRequestId(RoutingContext ctx) {
        String id = RequestIds.accept(ctx.request().getHeader(RequestIds.HEADER));
        ctx.put(REQUEST_ID, id);
        ctx.request().headers().set(RequestIds.HEADER, id);
        ctx.addHeadersEndHandler(v -> ctx.response().headers().set(RequestIds.HEADER, id));
        ctx.next();
    }

    private void api(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        String token = bearer(header);
        if (token == null && tusDiscovery(ctx)) {
            http.forward(ctx, Upstream.MEDIA, config.responseTimeout());
            return;
        }
        if (token == null) {
            unauthorized(ctx, "A bearer token is required");
            return;
        }
        tokens.verify(token).onComplete(verified -> {
            if (verified.failed()) {
                LOG.debugf("Request %s: token refused: %s", requestId(ctx), verified.cause().getMessage());
                unauthorized(ctx, "The bearer token is invalid or expired");
                return;
            }
            ApiRoutes.Target target = routable(ctx) ? ApiRoutes.of(ctx.normalizedPath()) : null;
            if (target == null) {
                problems.send(ctx, ErrorCode.NOT_FOUND, "No such resource");
            } else {
                http.forward(ctx, target.upstream(), target.upload() ? config.uploadResponseTimeout() : config.responseTimeout());
            }
        });
    }

    /** tus clients and browser preflights ask what the upload endpoint supports without credentials (tus 1.0, OPTIONS). */
    private static boolean tusDiscovery(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        return ctx.request().method() == HttpMethod.OPTIONS && routable(ctx)
                && (path.equals("/api/v1/streams/uploads") || path.startsWith("/api/v1/streams/uploads/"));
    }

    /** Players cannot send a token; the HLS origin checks its own signed viewer tokens. */
    private void hls(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            ctx.response().putHeader("Allow", "GET, HEAD");
            problems.send(ctx, ErrorCode.METHOD_NOT_ALLOWED, "HLS is read-only");
        } else if (!routable(ctx)) {
            problems.send(ctx, ErrorCode.NOT_FOUND, "No such resource");
        } else {
            http.forward(ctx, Upstream.MEDIA, config.responseTimeout());
        }
    }

    /** The token is optional here (anonymous clients get public events), but a bad one is refused up front. */
    private void events(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        String token = header != null ? bearer(header) : ctx.request().getParam("token");
        if (header != null && token == null) {
            unauthorized(ctx, "Only bearer tokens are accepted");
            return;
        }
        if (token == null || token.isEmpty()) {
            proxyEvents(ctx);
            return;
        }
        tokens.verify(token).onComplete(verified -> {
            if (verified.failed()) {
                unauthorized(ctx, "The token is invalid or expired");
            } else {
                proxyEvents(ctx);
            }
        });
    }

    private void proxyEvents(RoutingContext ctx) {
        String upgrade = ctx.request().getHeader("Upgrade");
        if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
            webSockets.forward(ctx);
        } else {
            http.forward(ctx, Upstream.EVENTS, config.responseTimeout());
        }
    }

    private void unauthorized(RoutingContext ctx, String detail) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        problems.send(ctx, ErrorCode.UNAUTHORIZED, detail);
    }

    private static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    /** Encoded slashes or backslashes could be decoded by a service into a path the gateway never routed. */
    private static boolean routable(RoutingContext ctx) {
        String path = ctx.normalizedPath().toLowerCase(Locale.ROOT);
        return !path.contains("%2f") && !path.contains("%5c");
    }
}
