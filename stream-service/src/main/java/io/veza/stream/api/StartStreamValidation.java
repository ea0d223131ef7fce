package io.veza.stream.api;

import io.veza.contracts.ApiException;
import io.veza.stream.api.StreamDtos.StartStreamRequest;
import io.veza.stream.domain.Categories;
import io.veza.stream.domain.StreamService.NewStream;
import java.util.ArrayList;
import java.util.List;

/** The rules of a start request; every violation is a 400 INVALID_STREAM_DATA naming the field. */
final class StartStreamValidation {
    static final int TITLE_MAX = 200;
    static final int DESCRIPTION_MAX = 5000;
    static final int TAGS_MAX = 10;
    static final int TAG_MAX = 30;

    private StartStreamValidation() {
    }

    static NewStream validate(StartStreamRequest request) {
        if (request == null) {
            throw ApiException.invalid("A JSON body with at least a title is required");
        }
        String title = request.title() == null ? "" : request.title().strip();
        if (title.isEmpty() || title.length() > TITLE_MAX) {
            throw ApiException.invalid("title is required, 1 to " + TITLE_MAX + " characters");
        }
        if (request.description() != null && request.description().length() > DESCRIPTION_MAX) {
            throw ApiException.invalid("description is at most " + DESCRIPTION_MAX + " characters");
        }
        String category = request.category() == null ? Categories.DEFAULT : request.category();
        if (!Categories.known(category)) {
            throw ApiException.invalid("category must be one of " + Categories.ALL);
        }
        List<String> tags = new ArrayList<>();
        if (request.tags() != null) {
            if (request.tags().size() > TAGS_MAX) {
                throw ApiException.invalid("at most " + TAGS_MAX + " tags");
            }
            for (String tag : request.tags()) {
                String t = tag == null ? "" : tag.strip();
                if (t.isEmpty() || t.length() > TAG_MAX) {
                    throw ApiException.invalid("each tag is 1 to " + TAG_MAX + " characters");
                }
                if (!tags.contains(t)) {
                    tags.add(t);
                }
            }
        }
        boolean isPublic = request.isPublic() == null || request.isPublic();
        return new NewStream(title, request.description(), isPublic, category, tags);
    }
}
