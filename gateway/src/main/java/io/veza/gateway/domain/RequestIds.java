package io.veza.gateway.domain;

import java.util.UUID;

/** Request ids: a client's own is kept when it is a plain token, so that it can be searched for in the logs. */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    private static final int MAX_LENGTH = 128;

    private RequestIds() {
    }

    public static String accept(String candidate) {
        return isSane(candidate) ? candidate : UUID.randomUUID().toString();
    }

    static boolean isSane(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
