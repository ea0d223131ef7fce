package io.veza.contracts;

/** The one exception family of the public API: it carries a public error code and a safe, user-facing detail. */
public class ApiException extends RuntimeException {
    public final ErrorCode code;

    public ApiException(ErrorCode code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public static ApiException invalid(String detail) {
        return new ApiException(ErrorCode.INVALID_STREAM_DATA, detail);
    }
}
