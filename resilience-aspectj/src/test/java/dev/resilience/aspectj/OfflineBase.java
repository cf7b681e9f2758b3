package dev.resilience.aspectj;

import dev.resilience.annotation.Fallback;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Woven at compile time: a method with a fallback of its own, whose subclasses add class-level policies
 * ({@link BreakerSub}, {@link TimeoutSub}) to it; see AspectJModeTest.
 */
public class OfflineBase {
    final AtomicInteger calls = new AtomicInteger();

    @Fallback("offline")
    public String fetch() {
        calls.incrementAndGet();
        throw new IllegalStateException("down");
    }

    String offline(Throwable failure) {
        return "offline (" + failure.getClass().getSimpleName() + ")";
    }
}
