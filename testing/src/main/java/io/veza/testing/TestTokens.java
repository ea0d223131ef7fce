package io.veza.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** RS256 tokens signed with a key pair generated for this test JVM (never stored in the repository). */
public final class TestTokens {
    public static final String ISSUER = "veza-test";
    private static KeyPair keys;
    private static Path publicKeyFile;

    private TestTokens() {
    }

    public static synchronized Path publicKeyFile() {
        init();
        return publicKeyFile;
    }

    public static String user(String user) {
        return token(user, user, false, ISSUER, Instant.now().plusSeconds(3600), keyPair().getPrivate());
    }

    public static String admin(String user) {
        return token(user, user, true, ISSUER, Instant.now().plusSeconds(3600), keyPair().getPrivate());
    }

    public static String expired(String user) {
        return token(user, user, false, ISSUER, Instant.now().minusSeconds(600), keyPair().getPrivate());
    }

    public static String wrongIssuer(String user) {
        return token(user, user, false, "someone-else", Instant.now().plusSeconds(3600), keyPair().getPrivate());
    }

    /** Signed with a key the services have never seen. */
    public static String foreignKey(String user) {
        return token(user, user, false, ISSUER, Instant.now().plusSeconds(3600), generate().getPrivate());
    }

    /** An unsigned token ({@code alg: none}) that a careless verifier would accept. */
    public static String algNone(String user) {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        return header + "." + b64(claims(user, user, false, ISSUER, Instant.now().plusSeconds(3600))) + ".";
    }

    public static String token(String user, String name, boolean admin, String issuer, Instant expiry, PrivateKey key) {
        try {
            String signingInput = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + b64(claims(user, name, admin, issuer, expiry));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String claims(String user, String name, boolean admin, String issuer, Instant expiry) {
        long now = Instant.now().getEpochSecond();
        return "{\"iss\":\"" + issuer + "\",\"sub\":\"" + user + "\",\"preferred_username\":\"" + name + "\","
                + "\"groups\":[\"user\"" + (admin ? ",\"admin\"" : "") + "],\"iat\":" + Math.min(now, expiry.getEpochSecond() - 60)
                + ",\"nbf\":" + Math.min(now, expiry.getEpochSecond() - 60) + ",\"exp\":" + expiry.getEpochSecond()
                + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static synchronized KeyPair keyPair() {
        init();
        return keys;
    }

    private static void init() {
        if (keys != null) {
            return;
        }
        keys = generate();
        try {
            publicKeyFile = Files.createTempFile("jwt-public-", ".pem");
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
            Files.writeString(publicKeyFile, pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
