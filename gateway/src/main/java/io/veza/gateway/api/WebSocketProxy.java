package io.veza.gateway.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.ext.web.RoutingContext;
import io.veza.contracts.ErrorCode;
import io.veza.gateway.domain.GatewayConfig;
import io.veza.gateway.domain.Upstream;
import io.veza.gateway.domain.UpstreamFailures;
import io.veza.gateway.infra.Upstreams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Joins a client WebSocket to one opened on the events service. The upstream socket is opened first, so that
 * a refusal (or an unreachable service) reaches the client as a plain HTTP answer rather than an odd close.
 */
@ApplicationScoped
public class WebSocketProxy {
    private static final Logger LOG = Logger.getLogger(WebSocketProxy.class);
    private static final short GOING_AWAY = 1001;

    @Inject
    Upstreams upstreams;
    @Inject
    Problems problems;
    @Inject
    GatewayConfig config;

    public void forward(RoutingContext ctx) {
        Upstreams.Address events = upstreams.address(Upstream.EVENTS);
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(events.host()).setPort(events.port()).setSsl(events.ssl())
                .setURI(HttpProxy.uri(ctx))
                .setHeaders(HttpProxy.upstreamHeaders(ctx.request(), true))
                .setConnectTimeout(config.connectTimeout().toMillis())
                // for a WebSocket this bounds the handshake only
                .setIdleTimeout(config.responseTimeout().toMillis());
        upstreams.webSockets().connect(options).onComplete(connected -> {
            if (connected.failed()) {
                refuse(ctx, connected.cause());
                return;
            }
            WebSocket upstream = connected.result();
            // frames the service sends before the client side is ready (a greeting) must wait, not be dropped
            upstream.pause();
            ctx.request().toWebSocket().onComplete(accepted -> {
                if (accepted.failed()) {
                    upstream.close(GOING_AWAY);
                } else {
                    splice(accepted.result(), upstream);
                    splice(upstream, accepted.result());
                    upstream.resume();
                }
            });
        });
    }

    private void refuse(RoutingContext ctx, Throwable cause) {
        if (cause instanceof UpgradeRejectedException rejected) {
            // the events service said no (e.g. 401): its answer goes back as it is
            ctx.response().setStatusCode(rejected.getStatus());
            String type = rejected.getHeaders() == null ? null : rejected.getHeaders().get("Content-Type");
            if (type != null) {
                ctx.response().putHeader("Content-Type", type);
            }
            ctx.response().end(rejected.getBody() == null ? Buffer.buffer() : rejected.getBody());
            return;
        }
        int status = UpstreamFailures.whileConnecting(cause);
        LOG.warnf("Request %s: WebSocket to %s failed (%d): %s", GatewayRouter.requestId(ctx), Upstream.EVENTS.id, status, cause);
        problems.send(ctx, ErrorCode.STREAM_ERROR, status, Upstream.EVENTS.id + (status == UpstreamFailures.UNAVAILABLE
                ? " is unavailable" : " failed to answer"));
    }

    /** Data frames one way, as they come (fragments included); when the reader cannot keep up, stop reading. */
    private static void splice(WebSocketBase from, WebSocketBase to) {
        from.frameHandler(frame -> {
            // each hop answers its own pings; closes travel through the close handler
            if (frame.type() == WebSocketFrameType.PING || frame.type() == WebSocketFrameType.PONG
                    || frame.type() == WebSocketFrameType.CLOSE || to.isClosed()) {
                return;
            }
            to.writeFrame(frame);
            if (to.writeQueueFull()) {
                from.pause();
                to.drainHandler(v -> from.resume());
            }
        });
        from.closeHandler(v -> {
            if (!to.isClosed()) {
                Short code = from.closeStatusCode();
                // 1005/1006/1015 describe a close but may not be sent in one
                boolean sendable = code != null && code != 1005 && code != 1006 && code != 1015;
                to.close(sendable ? code : GOING_AWAY, sendable ? from.closeReason() : null);
            }
        });
        from.exceptionHandler(e -> LOG.debugf("WebSocket error: %s", e));
    }
}
