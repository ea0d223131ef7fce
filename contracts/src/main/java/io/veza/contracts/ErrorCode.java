package io.veza.contracts;

/** The public error codes (the seed's table plus the same style for what it does not name) and their HTTP status. */
public enum ErrorCode {
    INVALID_STREAM_DATA(400, "Invalid stream data"),
    UNAUTHORIZED(401, "Missing or invalid authentication token"),
    STREAM_ACCESS_DENIED(403, "Access to the stream denied"),
    FILE_ACCESS_DENIED(403, "Access to the file denied"),
    ACCESS_DENIED(403, "Access denied"),
    STREAM_NOT_FOUND(404, "Stream not found"),
    FILE_NOT_FOUND(404, "File not found"),
    UPLOAD_NOT_FOUND(404, "Upload not found"),
    NOT_FOUND(404, "Resource not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    STREAM_ALREADY_LIVE(409, "Stream already live"),
    STREAM_NOT_LIVE(409, "Stream is not live"),
    STREAM_ALREADY_STOPPED(409, "Stream already stopped"),
    UPLOAD_OFFSET_MISMATCH(409, "Upload offset mismatch"),
    TUS_VERSION_UNSUPPORTED(412, "Unsupported tus version"),
    REQUEST_TOO_LARGE(413, "Request body too large"),
    FILE_TOO_LARGE(413, "File too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported content type"),
    UNSUPPORTED_FORMAT(415, "Unsupported file format"),
    /** tus's own status for a chunk that does not match its {@code Upload-Checksum}. */
    CHECKSUM_MISMATCH(460, "Checksum mismatch"),
    RATE_LIMIT_EXCEEDED(429, "Rate limit exceeded"),
    STREAM_ERROR(500, "Streaming server error");

    public final int status;
    public final String title;

    ErrorCode(int status, String title) {
        this.status = status;
        this.title = title;
    }
}
