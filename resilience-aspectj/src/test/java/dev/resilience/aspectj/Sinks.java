package dev.resilience.aspectj;

import dev.resilience.annotation.LastKnownGood;
import reactor.core.publisher.Sinks.One;

/**
 * Woven at compile time: a method whose return type is a nested type of {@code reactor.core.publisher} (a
 * synchronous method to the pipelines) with a policy that has no inline form.
 */
public class Sinks {

    volatile boolean down;

    @LastKnownGood("sinks")
    public One<String> sink() {
        if (down) {
            throw new IllegalStateException("down");
        }
        return reactor.core.publisher.Sinks.one();
    }
}
