package io.veza.media.api;

import io.veza.contracts.ApiException;
import io.veza.media.domain.UploadService;
import java.util.ArrayList;
import java.util.List;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** The fields that come with an upload (multipart form or tus metadata), checked the same way for both. */
final class UploadForms {
    private UploadForms() {
    }

    /**
     * The part's file name as Vert.x decoded it (RFC 5987 {@code filename*} wins over {@code filename}). A name that
     * did not decode in its charset carries replacement characters: refused rather than stored garbled.
     */
    static String filename(FileUpload part) {
        String name = part.fileName();
        if (name != null && name.indexOf('\uFFFD') >= 0) {  // control characters, NUL included, are stripped later
            throw ApiException.invalid("The file name is not valid text in its charset");
        }
        return name;
    }

    static UploadService.Form of(String title, String artist, String album, String genre, String category, String tags, String isPublic) {
        return new UploadService.Form(limited("title", title), limited("artist", artist), limited("album", album), limited("genre", genre),
                checkCategory(category), parseTags(tags), parseBoolean(isPublic));
    }

    /** Text as it arrived, provided it decoded (no replacement characters) and carries no NUL (PostgreSQL refuses it). */
    static String decoded(String field, String value) {
        if (value != null && (value.indexOf('\uFFFD') >= 0 || value.indexOf('\u0000') >= 0)) {
            throw ApiException.invalid(field + " is not valid text in its charset");
        }
        return value;
    }

    /** Decoded text of at most {@link UploadService#TEXT_MAX} characters, the limit PATCH applies too. */
    static String limited(String field, String value) {
        if (decoded(field, value) != null && value.strip().length() > UploadService.TEXT_MAX) {
            throw ApiException.invalid(field + " is at most " + UploadService.TEXT_MAX + " characters");
        }
        return value;
    }

    static String checkCategory(String category) {
        if (decoded("category", category) != null && (category.isBlank() || category.length() > 50)) {
            throw ApiException.invalid("category is 1 to 50 characters");
        }
        return category;
    }

    /** Tags as a comma-separated field. */
    static List<String> parseTags(String tags) {
        return tags == null || tags.isBlank() ? List.of() : checkTags(List.of(tags.split(",")));
    }

    /** At most 10 distinct tags, each 1 to 30 characters. */
    static List<String> checkTags(List<String> tags) {
        List<String> checked = new ArrayList<>();
        for (String tag : tags) {
            String t = tag == null ? "" : decoded("tags", tag).strip();
            if (t.isEmpty() || t.length() > UploadService.TAG_MAX) {
                throw ApiException.invalid("each tag is 1 to " + UploadService.TAG_MAX + " characters");
            }
            if (!checked.contains(t)) {
                checked.add(t);
            }
        }
        if (checked.size() > UploadService.TAGS_MAX) {
            throw ApiException.invalid("at most " + UploadService.TAGS_MAX + " tags");
        }
        return checked;
    }

    static boolean parseBoolean(String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        if (!value.equals("true") && !value.equals("false")) {
            throw ApiException.invalid("is_public is true or false");
        }
        return Boolean.parseBoolean(value);
    }
}
