package io.veza.media.domain;

/** Lets the transcoding worker know at once that a job is waiting (it also polls). */
public interface TranscodeQueue {
    void wake();
}
