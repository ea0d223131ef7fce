package io.veza.contracts;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The viewer session carried by a joined {@code hls_url}: stream-service issues it, the HLS origin counts the
 * players that keep refreshing with it. HMAC-signed so that nobody can inflate a stream's viewer count with
 * made-up sessions. Format: {@code <session>.<expiry epoch seconds>.<base64url hmac>}.
 */
public final class ViewerToken {
    private final byte[] secret;

    public ViewerToken(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    public String issue(String streamId, String session, Instant expiry) {
        String body = session + "." + expiry.getEpochSecond();
        return body + "." + sign(streamId + "|" + body);
    }

    /** The session id if the token is well-formed, signed for this stream and not expired. */
    public Optional<String> verify(String streamId, String token, Instant now) {
        if (token == null || token.length() > 200) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return Optional.empty();
        }
        String body = parts[0] + "." + parts[1];
        byte[] expected = sign(streamId + "|" + body).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, parts[2].getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        try {
            if (Long.parseLong(parts[1]) < now.getEpochSecond()) {
                return Optional.empty();
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.of(parts[0]);
    }

    private String sign(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
