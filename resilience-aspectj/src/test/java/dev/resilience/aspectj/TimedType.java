package dev.resilience.aspectj;

import dev.resilience.annotation.Timeout;

/** Test fixture (review of 2026-12-05): a class-level annotation on a supertype, see AspectJModeTest. */
@Timeout("slow")
public interface TimedType {
    String answer();
}
