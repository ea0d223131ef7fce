package io.veza.stream.domain;

import java.util.List;

/** The categories a stream may be filed under. */
public final class Categories {
    public static final List<String> ALL = List.of("music", "dj_set", "concert", "podcast", "talk", "radio", "education", "other");
    public static final String DEFAULT = "music";

    private Categories() {
    }

    public static boolean known(String category) {
        return ALL.contains(category);
    }
}
