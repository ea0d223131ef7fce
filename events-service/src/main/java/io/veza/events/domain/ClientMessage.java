package io.veza.events.domain;

/**
 * One message for WebSocket clients, in the seed's {@code {"event": ..., "data": {...}}} form, with who may see it:
 * everyone ({@code isPublic}: a public stream's events), otherwise only its owner.
 */
public record ClientMessage(String eventId, String json, boolean isPublic, String ownerId) {
    public boolean visibleTo(String userId) {
        return isPublic || (userId != null && userId.equals(ownerId));
    }
}
