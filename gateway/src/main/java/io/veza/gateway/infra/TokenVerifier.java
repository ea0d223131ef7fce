package io.veza.gateway.infra;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.veza.gateway.domain.GatewayConfig;
import io.veza.gateway.domain.TokenCache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Bearer token checks with smallrye-jwt (RS256 only, signature, exp, nbf, issuer, as configured by the
 * {@code mp.jwt.verify.*} keys). A token already verified is accepted from memory; a new one is verified on a
 * worker thread, since fetching a JWKS is blocking I/O.
 */
@ApplicationScoped
public class TokenVerifier {
    private final JWTParser parser;
    private final Vertx vertx;
    private final TokenCache cache;

    @Inject
    public TokenVerifier(JWTParser parser, Vertx vertx, GatewayConfig config) {
        this.parser = parser;
        this.vertx = vertx;
        this.cache = new TokenCache(config.tokenCacheSize(), config.tokenCacheTtl().toMillis());
    }

    /** Succeeds when the token is valid now; fails with the parser's reason otherwise. */
    public Future<Void> verify(String token) {
        if (cache.isValid(token, System.currentTimeMillis())) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
            JsonWebToken jwt = parser.parse(token);
            cache.remember(token, jwt.getExpirationTime() * 1000, System.currentTimeMillis());
            return null;
        }, false);
    }
}
