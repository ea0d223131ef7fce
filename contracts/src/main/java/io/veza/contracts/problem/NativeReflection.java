package io.veza.contracts.problem;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.veza.contracts.EventEnvelope;
import io.veza.contracts.Problem;

/** JSON shapes written with an ObjectMapper outside resource signatures: native images must keep their accessors. */
@RegisterForReflection(targets = {Problem.class, EventEnvelope.class})
public final class NativeReflection {
    private NativeReflection() {
    }
}
