package io.veza.contracts;

import java.security.SecureRandom;

/** Public ids and secrets: a type prefix ({@code str_}, {@code file_}, {@code sk_}) and random base62 characters. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private Ids() {
    }

    public static String random(String prefix, int length) {
        StringBuilder s = new StringBuilder(prefix.length() + length).append(prefix);
        for (int i = 0; i < length; i++) {
            s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }
}
