package io.veza.gateway.domain;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import java.util.concurrent.TimeoutException;

/** The HTTP status a failed upstream call becomes (always with the code STREAM_ERROR). */
public final class UpstreamFailures {
    public static final int BAD_GATEWAY = 502;
    public static final int UNAVAILABLE = 503;
    public static final int GATEWAY_TIMEOUT = 504;

    private UpstreamFailures() {
    }

    /** While getting a connection: no room or no answer in time is unavailability; a refusal is a bad gateway. */
    public static int whileConnecting(Throwable failure) {
        return failure instanceof TimeoutException || failure instanceof ConnectTimeoutException
                || failure instanceof ConnectionPoolTooBusyException ? UNAVAILABLE : BAD_GATEWAY;
    }

    /** Once the request is sent: waiting too long for the answer is a timeout; a reset or close is a bad gateway. */
    public static int whileExchanging(Throwable failure) {
        return failure instanceof TimeoutException ? GATEWAY_TIMEOUT : BAD_GATEWAY;
    }
}
