package io.veza.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenCacheTest {
    @Test
    void a_token_is_remembered_until_its_expiry_or_the_time_to_live_whichever_is_first() {
        TokenCache cache = new TokenCache(10, 60_000);
        cache.remember("short", 5_000, 0);
        cache.remember("long", 3_600_000, 0);
        assertTrue(cache.isValid("short", 4_999));
        assertFalse(cache.isValid("short", 5_000));
        assertTrue(cache.isValid("long", 59_999));
        assertFalse(cache.isValid("long", 60_000));
        assertFalse(cache.isValid("never-seen", 0));
    }

    @Test
    void a_full_cache_makes_room_from_expired_tokens_only() {
        TokenCache cache = new TokenCache(2, 60_000);
        cache.remember("a", 1_000, 0);
        cache.remember("b", 60_000, 0);
        cache.remember("c", 60_000, 0);
        assertFalse(cache.isValid("c", 10), "no room while nothing expired");
        cache.remember("c", 60_000, 2_000);
        assertTrue(cache.isValid("c", 2_001), "room made from the expired token");
        assertTrue(cache.isValid("b", 2_001));
    }
}
