package dev.resilience.aspectj;

import dev.resilience.annotation.CircuitBreaker;

/** Test fixture: a class-level breaker over the woven method it inherits from {@link OfflineBase}. */
@CircuitBreaker("status")
public class BreakerSub extends OfflineBase {
}
