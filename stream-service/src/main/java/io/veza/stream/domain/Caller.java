package io.veza.stream.domain;

/** Who is asking, as the verified token says. */
public record Caller(String userId, String username, boolean admin) {
    public boolean owns(Stream stream) {
        return stream.userId.equals(userId);
    }
}
