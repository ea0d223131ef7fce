package io.veza.stream.domain;

import java.util.Set;

/** A stream's life: created (starting), publishing (live, possibly inside a reconnect window), ended (stopped). */
public enum StreamStatus {
    STARTING, LIVE, STOPPED;

    public String value() {
        return name().toLowerCase();
    }

    public static StreamStatus of(String value) {
        return valueOf(value.toUpperCase());
    }

    public boolean canBecome(StreamStatus next) {
        return switch (this) {
            case STARTING -> Set.of(LIVE, STOPPED).contains(next);
            case LIVE -> next == STOPPED;
            case STOPPED -> false;
        };
    }

    public boolean active() {
        return this != STOPPED;
    }
}
