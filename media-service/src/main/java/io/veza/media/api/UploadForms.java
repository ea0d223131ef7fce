package io.veza.media.api;

import io.veza.contracts.ApiException;
import io.veza.contracts.ErrorCode;
import io.veza.media.domain.UploadService;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** The fields that come with an upload (multipart form or tus metadata), checked the same way for both. */
final class UploadForms {
    private static final Pattern EXTENDED_NAME = Pattern.compile("filename\\*\\s*=\\s*([A-Za-z0-9_-]+)'[^']*'([^;\\s]+)", Pattern.CASE_INSENSITIVE);

    private UploadForms() {
    }

    /** The part's file name: RFC 5987 {@code filename*} (percent-encoded, with its charset) wins over plain {@code filename}. */
    static String filename(FileUpload part) {
        String disposition = part.getHeaders() == null ? null : part.getHeaders().getFirst("Content-Disposition");
        Matcher m = disposition == null ? null : EXTENDED_NAME.matcher(disposition);
        return m != null && m.find() ? decodeExtended(m.group(1), m.group(2)) : part.fileName();
    }

    /** Strict: a name that is not valid in its charset is refused rather than stored with replacement characters. */
    static String decodeExtended(String charsetName, String encoded) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (int i = 0; i < encoded.length(); i++) {
                char c = encoded.charAt(i);
                if (c == '%') {
                    bytes.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
                    i += 2;
                } else {
                    bytes.write(c);
                }
            }
            return Charset.forName(charsetName).newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (IllegalArgumentException | IndexOutOfBoundsException | CharacterCodingException e) {
            throw new ApiException(ErrorCode.INVALID_STREAM_DATA, "The file name (filename*) is not valid " + charsetName);
        }
    }

    static UploadService.Form of(String title, String artist, String album, String genre, String category, String tags, String isPublic) {
        return new UploadService.Form(title, artist, album, genre, checkCategory(category), parseTags(tags), parseBoolean(isPublic));
    }

    static String checkCategory(String category) {
        if (category != null && (category.isBlank() || category.length() > 50)) {
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
            String t = tag == null ? "" : tag.strip();
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
