package io.veza.gateway.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Request bodies the gateway answers without reading (refusals, a service's early answer). */
@ApplicationScoped
public class UnreadBodies {
    private static final long LINGER_MILLIS = 2000;

    @Inject
    Vertx vertx;

    static boolean hasBody(HttpServerRequest in) {
        String length = in.getHeader("Content-Length");
        return length != null ? !"0".equals(length)
                : in.getHeader("Transfer-Encoding") != null || in.version() == HttpVersion.HTTP_2 && !in.isEnded();
    }

    /**
     * Closes the connection. Closing at once would make the kernel answer the unread bytes with a reset, which can
     * destroy the response before the client reads it; so the rest is discarded for a moment first.
     */
    void closeSoon(HttpServerRequest in, boolean drain) {
        if (drain) {
            in.endHandler(v -> in.connection().close());
            in.resume();
        }
        vertx.setTimer(LINGER_MILLIS, id -> in.connection().close());
    }
}
