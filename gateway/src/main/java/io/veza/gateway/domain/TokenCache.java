package io.veza.gateway.domain;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens already verified, each until its expiry or a short time to live, whichever comes first. Bounded: when
 * full, expired entries are dropped and, if that is not enough, new tokens are simply verified every time.
 */
public final class TokenCache {
    private final Map<String, Long> validUntil = new ConcurrentHashMap<>();
    private final int maxSize;
    private final long ttlMillis;

    public TokenCache(int maxSize, long ttlMillis) {
        this.maxSize = maxSize;
        this.ttlMillis = ttlMillis;
    }

    public boolean isValid(String token, long nowMillis) {
        Long until = validUntil.get(token);
        if (until == null) {
            return false;
        }
        if (until <= nowMillis) {
            validUntil.remove(token, until);
            return false;
        }
        return true;
    }

    public void remember(String token, long expiresAtMillis, long nowMillis) {
        long until = Math.min(expiresAtMillis, nowMillis + ttlMillis);
        if (until <= nowMillis) {
            return;
        }
        if (validUntil.size() >= maxSize) {
            validUntil.values().removeIf(u -> u <= nowMillis);
            if (validUntil.size() >= maxSize) {
                return;
            }
        }
        validUntil.put(token, until);
    }
}
